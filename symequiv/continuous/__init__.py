"""The exact continuous side: grids, signals and scenes, checked antiderivatives, piecewise functions."""
