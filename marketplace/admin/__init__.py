"""Admin pages: users with their roles and areas, gemeenten and their buurten."""
