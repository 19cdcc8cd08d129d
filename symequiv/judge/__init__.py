"""The checks and their verdicts: the rules a verdict obeys, witnesses, and a verdict's renderings."""
