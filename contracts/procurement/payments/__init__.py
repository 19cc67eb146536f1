"""Payments under the Procurement Act 2023 (sections 68 to 70): the invoice register of
each contract, the six-monthly payments compliance notice and the quarterly publication
of payments over £30,000. The notices are owed through the shared notices register."""
