package redact

// emailPattern matches an e-mail address, with an ASCII or a full-width @
// and dots, as people type them on Chinese keyboards. The top-level domain
// must be letters, so "2000@3.5" style arithmetic is not an address.
const emailPattern = `[A-Za-z0-9._%+\-]+[@＠][A-Za-z0-9\-]+(?:[.．][A-Za-z0-9\-]+)*[.．][A-Za-z]{2,}`
