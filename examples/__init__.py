"""Examples beside the project: activity workers in other languages (`ruby-worker/`,
`node-worker/`) and the pyflow workflows they serve (`interop`)."""
