"""A person's own account: profile, home buurt, language, password and e-mail address."""
