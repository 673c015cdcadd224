"""Plan card records and yearly target-vs-achievement reports (HTML, PDF, Excel)."""
