"""OCDS 1.1 export of the notices a contract owes under the Procurement Act 2023: a
release per notice, a compiled record per contract and bulk release packages, each
validated against the vendored schemas before it is served."""
