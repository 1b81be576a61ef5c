"""The professional network: placeholder, filled in below."""
