"""The SMG dashboard: the portfolio at a glance, every figure linked to the list behind
it. ``panels.dashboard`` builds it from each contract's stored overall status."""
