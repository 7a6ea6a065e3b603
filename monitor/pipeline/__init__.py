"""Pipeline: one poll cycle over the stages (Monitor), the parser/decider worker tasks, and the daemon loop."""
