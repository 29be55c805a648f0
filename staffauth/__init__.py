"""Staff and trainer sign-in: who holds a role (``policy``), the second factor as a
property of the session (``gate``), an authenticator app (TOTP) and backup codes.

Built on django-otp (``otp_totp`` and ``otp_static``). Learners, who sign in by
link and hold no role, are not concerned; people with a role never sign in by link.
"""
