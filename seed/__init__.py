"""Reference data, sample and scale generators, and loaders of gongxu."""
