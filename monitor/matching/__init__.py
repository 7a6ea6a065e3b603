"""Matching: the vendor register, the Matcher that finds registered vendors in an item, and breach detection."""
