package web

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// clientKey holds the client's address in a request's context.
type clientKey struct{}

// withClient finds each request's client address once: the peer, or,
// when the peer is one of Config.TrustedProxies, the last address in
// X-Forwarded-For that is not a trusted proxy. Rate limits, lockouts and
// logs then count people, not the reverse proxy in front of them.
func (s *Server) withClient(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr := peer(r)
		if len(s.cfg.TrustedProxies) > 0 && s.trusted(addr) {
			addr = s.forwardedFor(r, addr)
		}
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientKey{}, addr)))
	})
}

// forwardedFor walks X-Forwarded-For from the nearest hop back and returns
// the first address no trusted proxy added; a client can prepend anything,
// so only what trusted proxies appended counts.
func (s *Server) forwardedFor(r *http.Request, peer string) string {
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		for _, h := range strings.Split(v, ",") {
			if h = strings.TrimSpace(h); h != "" {
				hops = append(hops, h)
			}
		}
	}
	for i := len(hops) - 1; i >= 0; i-- {
		ip, err := netip.ParseAddr(hops[i])
		if err != nil {
			return peer // a malformed chain is not to be believed
		}
		if !s.trusted(ip.String()) {
			return ip.String()
		}
	}
	return peer
}

func (s *Server) trusted(addr string) bool {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(ip.Unmap()) {
			return true
		}
	}
	return false
}

// peer is the address of the connection's other end.
func peer(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// clientAddr is the client's IP address, as withClient found it.
func clientAddr(r *http.Request) string {
	if a, ok := r.Context().Value(clientKey{}).(string); ok {
		return a
	}
	return peer(r)
}

// ParsePrefixes reads a comma-separated list of addresses and CIDR ranges
// (10.0.0.0/8, 127.0.0.1) as prefixes.
func ParsePrefixes(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			ip, err := netip.ParseAddr(f)
			if err != nil {
				return nil, err
			}
			out = append(out, netip.PrefixFrom(ip, ip.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
