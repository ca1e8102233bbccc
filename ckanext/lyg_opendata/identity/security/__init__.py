"""Account security (issue 20 item 3): sign-in throttling and lock-out, the password
policy, sessions ended on a password change, the TOTP second factor with recovery codes, and
the sysadmins' audit list of sign-ins, failures, token creation and role changes
(docs/identity-security.md)."""
