// Package web is policybot's HTTP server: the JSON API every channel and
// client uses (/api/chat, /api/eligibility, /api/facts), health and
// Prometheus metrics, the embeddable chat widget and the hotline staff
// console, all on one listener.
package web
