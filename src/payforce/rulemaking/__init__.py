"""Rulemaking: proposed / final / correction lifecycle, lead times, and the user's watches."""
