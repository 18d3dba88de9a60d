//! One integration test binary; one module per area.
