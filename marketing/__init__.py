"""Social-network marketing support: projects, blogger events, selected firms."""
