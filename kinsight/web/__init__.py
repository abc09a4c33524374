"""The practitioners' pages (GOV.UK Frontend lands with issue 6) and the demo."""
