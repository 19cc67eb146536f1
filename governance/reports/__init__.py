"""Reports: the PDF reports of a contract and of the portfolio, the auditor pack that
binds them with the contract's change history, and spreadsheets of lists."""
