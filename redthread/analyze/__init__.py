"""Analytics over the evidence graph; one module per question."""
