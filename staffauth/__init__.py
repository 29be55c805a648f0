"""Staff sign-in with a second factor: an authenticator app (TOTP) and backup codes.

Built on django-otp (``otp_totp`` and ``otp_static``). Learners, who sign in by
link and never reach the admin, are not concerned.
"""
