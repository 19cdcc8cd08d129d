"""Numeric foundations: exact numbers and their limits, the safe parser, balls, backends, budgets.

Nothing here knows about signals or grids; every other layer builds on it.
"""
