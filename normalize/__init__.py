"""Pure normalisation functions: text, numbers, targets, points, unit names."""
