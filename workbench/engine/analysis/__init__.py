"""Understanding data and models: embedding map, slices, bias probes and label errors."""
