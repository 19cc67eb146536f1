"""Contract performance under the Procurement Act 2023 (s.71): the assessment of each
published KPI at least once every 12 months and when the contract ends, the breaches
and poor performance the commissioner decides to publish, and the contract
performance notices (UK9) they owe."""
