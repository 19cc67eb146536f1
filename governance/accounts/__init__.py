"""Each person's own account: password change and reset, the second factor (TOTP) and
the idle-session timeout."""
