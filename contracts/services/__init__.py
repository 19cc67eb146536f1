"""Business rules of the contracts register; views call these and decide nothing."""
