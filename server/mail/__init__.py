"""The ticket email and the mail backends that send it."""
