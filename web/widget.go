package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"time"
)

// assets are the files of the widget, the demo page and the staff console:
// plain HTML, CSS and dependency-free JavaScript, served as written.
//
//go:embed assets
var assets embed.FS

// pagePolicy is the Content-Security-Policy of every page the server
// serves: scripts, styles and requests only to the server itself, nothing
// inline, no plugins, no framing.
const pagePolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// mountWidget adds the embeddable chat widget (/widget.js), the static
// files under /assets/ and the demo page (GET /).
func (s *Server) mountWidget(mux *http.ServeMux) {
	files := loadStatic()
	mux.Handle("GET /widget.js", s.metrics.instrument("widget", files.handler("widget.js", widgetCache)))
	mux.Handle("GET /assets/{name}", s.metrics.instrument("assets", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		files.handler(r.PathValue("name"), "no-cache").ServeHTTP(w, r)
	})))
	demo := mustTemplate("demo.html")
	mux.Handle("GET /{$}", s.metrics.instrument("demo", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writePage(w, http.StatusOK, demo, map[string]string{"Origin": origin(r)})
	})))
}

// widgetCache lets pages that embed the widget cache it for a while, so
// an update reaches them within minutes without a request per page view.
const widgetCache = "public, max-age=300"

// staticFile is a file served under /assets/, with its validator.
type staticFile struct {
	data  []byte
	etag  string
	ctype string
}

// static are the servable files by name: scripts, styles and images. The
// HTML in assets is served through templates only.
type static map[string]staticFile

func loadStatic() static {
	files := static{}
	entries, _ := fs.ReadDir(assets, "assets")
	for _, e := range entries {
		ext := path.Ext(e.Name())
		if ext != ".js" && ext != ".css" && ext != ".png" && ext != ".svg" {
			continue
		}
		data, err := assets.ReadFile("assets/" + e.Name())
		if err != nil {
			continue
		}
		sum := sha256.Sum256(data)
		files[e.Name()] = staticFile{data: data, etag: `"` + hex.EncodeToString(sum[:8]) + `"`, ctype: mime.TypeByExtension(ext)}
	}
	return files
}

// handler serves one file; it answers If-None-Match and ranges.
func (st static) handler(name, cacheControl string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := st[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", f.ctype)
		h.Set("ETag", f.etag)
		h.Set("Cache-Control", cacheControl)
		h.Set("X-Content-Type-Options", "nosniff")
		// Any site may load the widget, including pages that isolate
		// themselves (Cross-Origin-Embedder-Policy).
		h.Set("Cross-Origin-Resource-Policy", "cross-origin")
		h.Set("Access-Control-Allow-Origin", "*")
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(f.data))
	})
}

// mustTemplate parses a page of assets. The pages are part of the binary,
// so a parse error is a bug that every test run meets first.
func mustTemplate(name string) *template.Template {
	return template.Must(template.ParseFS(assets, "assets/"+name))
}

// writePage renders a page with the headers every page carries.
func writePage(w http.ResponseWriter, status int, t *template.Template, data any) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", pagePolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// origin is the scheme and host the request reached, for the demo page's
// copy-and-paste snippet.
func origin(r *http.Request) string {
	scheme := "http"
	if isHTTPS(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
