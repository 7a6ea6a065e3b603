"""Sources: fetch feeds, HTML lists and JSON APIs safely, parse them into items, and drop what was seen before."""
