"""`ferrograd.fx.passes`: analyses over FX graphs (`shape_prop`)."""
