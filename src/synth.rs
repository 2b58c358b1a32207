//! Deterministic generator of synthetic resolutions in the seed's page layout.
