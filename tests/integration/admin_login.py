"""Signing in as an organisation administrator (or a supervisor), who must use TOTP: the
account is added by the CLI, its password set, and the second factor enrolled through the
console's enrolment page with codes computed here (RFC 6238) from the secret it shows."""

from staff import GOOD, Browser, cli, set_password, sign_in_with_totp


def staff_with_totp(srv, email, role, org="demo"):
    """A Browser signed in (second factor enrolled) as a new member with this role."""
    r = cli(srv, "user", "add", "--org", org, "--email", email, "--role", role)
    assert r.returncode == 0, r.stderr
    set_password(srv, email, GOOD)
    b = Browser(srv)
    b.totp_secret = sign_in_with_totp(b, email, GOOD)
    return b
