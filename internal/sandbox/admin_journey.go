package sandbox

import (
	"fmt"
	"net/http"
	"time"
)

// journeyRoutes adds the AA page and the admin routes that drive the consent
// journey and data fetches (doc.go lists them).
func (s *Sandbox) journeyRoutes(mux *http.ServeMux) {
	mux.HandleFunc(pathAAPage, s.serveAAPage)
	mux.HandleFunc("/_sandbox/aa/answer", only(http.MethodPost, func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			URL      string   `json:"url"`
			Decision string   `json:"decision"`
			Accounts []string `json:"accounts"`
		}
		if !readAdmin(w, r, &req) {
			return
		}
		if req.Decision != "approve" && req.Decision != "reject" {
			adminError(w, fmt.Errorf("decision %q: want approve or reject: %w", req.Decision, ErrInvalid))
			return
		}
		back, err := s.AnswerAA(req.URL, req.Decision == "approve", req.Accounts)
		if err != nil {
			adminError(w, err)
			return
		}
		adminJSON(w, http.StatusOK, map[string]string{"redirect": back})
	}))
	mux.HandleFunc("/_sandbox/consents/{handle}", only(http.MethodGet, func(w http.ResponseWriter, r *http.Request) {
		ki, err := s.Consent(r.PathValue("handle"))
		if err != nil {
			adminError(w, err)
			return
		}
		adminJSON(w, http.StatusOK, ki)
	}))
	mux.HandleFunc("/_sandbox/consents/{handle}/fetch/{step}", only(http.MethodPost, func(w http.ResponseWriter, r *http.Request) {
		h := r.PathValue("handle")
		var err error
		switch r.PathValue("step") {
		case "start":
			var req struct {
				Delay string `json:"delay"`
			}
			if r.ContentLength != 0 && !readAdmin(w, r, &req) {
				return
			}
			var d time.Duration
			if req.Delay != "" {
				if d, err = time.ParseDuration(req.Delay); err != nil || d < 0 {
					adminError(w, fmt.Errorf("delay %q: %w", req.Delay, ErrInvalid))
					return
				}
			}
			_, err = s.StartFetch(r.Context(), h, d)
		case "complete":
			err = s.CompleteFetch(r.Context(), h)
		case "expire":
			err = s.ExpireFetch(r.Context(), h)
		default:
			err = fmt.Errorf("fetch step %q: %w", r.PathValue("step"), ErrNotFound)
		}
		if err != nil {
			adminError(w, err)
			return
		}
		ki, err := s.Consent(h)
		if err != nil {
			adminError(w, err)
			return
		}
		adminJSON(w, http.StatusOK, ki)
	}))
	mux.HandleFunc("/_sandbox/fetch/outcomes", func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet:
		case http.MethodPost:
			var req struct {
				Key      string            `json:"key"`
				Outcome  string            `json:"outcome"`
				Outcomes map[string]string `json:"outcomes"`
			}
			if !readAdmin(w, r, &req) {
				return
			}
			if req.Key != "" || req.Outcome != "" {
				req.Outcomes = map[string]string{req.Key: req.Outcome}
			}
			if len(req.Outcomes) == 0 {
				adminError(w, fmt.Errorf("no outcome: %w", ErrInvalid))
				return
			}
			for k, o := range req.Outcomes {
				if err := s.SetFetchOutcome(k, o); err != nil {
					adminError(w, err)
					return
				}
			}
		case http.MethodDelete:
			s.ClearFetchOutcomes()
		default:
			w.Header().Set("Allow", "GET, POST, DELETE")
			adminJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "method not allowed"})
			return
		}
		adminJSON(w, http.StatusOK, map[string]any{"outcomes": s.FetchOutcomes()})
	})
}
