package store

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/vienreiz/vienreiz/catalogue"
)

// catalogueFresh is how long the store answers Service and HasCountry
// from the catalogue it read last, without asking the database: a request
// is checked against the catalogue at every create, and reading and
// decoding its service was two round trips and a fifth of the CPU of a
// create. The catalogue changes only when a release seeds a newer one;
// another process's seeding is seen within this time.
const catalogueFresh = time.Minute

// catalogueCache holds the services of the stored catalogue, decoded, and
// the countries that have services.
type catalogueCache struct {
	now func() time.Time
	// reading is held while the catalogue is read, so that it is read
	// once however many callers find it missing.
	reading sync.Mutex

	mu         sync.Mutex
	snap       *catalogueSnapshot
	refreshing bool
}

type catalogueSnapshot struct {
	read      time.Time
	services  map[string]*catalogue.Service
	countries map[string]bool
}

// snapshot returns the catalogue as last read; the first call reads it,
// and a call after catalogueFresh has passed reads it again in the
// background while the old one keeps answering, so that no caller waits
// for the refresh.
func (s *Store) snapshot(ctx context.Context) (*catalogueSnapshot, error) {
	c := &s.catalogue
	c.mu.Lock()
	snap := c.snap
	stale := snap != nil && c.now().Sub(snap.read) >= catalogueFresh && !c.refreshing
	if stale {
		c.refreshing = true
	}
	c.mu.Unlock()
	switch {
	case snap == nil:
		c.reading.Lock()
		defer c.reading.Unlock()
		c.mu.Lock()
		snap = c.snap
		c.mu.Unlock()
		if snap != nil {
			return snap, nil
		}
		return s.readCatalogue(ctx)
	case stale:
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			c.reading.Lock()
			defer c.reading.Unlock()
			if _, err := s.readCatalogue(ctx); err != nil {
				s.log.Warn("store: reading the catalogue again", "err", err)
			}
			c.mu.Lock()
			c.refreshing = false
			c.mu.Unlock()
		}()
	}
	return snap, nil
}

// readCatalogue reads and decodes the stored services and keeps them; the
// caller holds s.catalogue.reading.
func (s *Store) readCatalogue(ctx context.Context) (*catalogueSnapshot, error) {
	snap := &catalogueSnapshot{read: s.catalogue.now(), services: map[string]*catalogue.Service{}, countries: map[string]bool{}}
	rows, err := s.db.QueryContext(ctx, `SELECT id, doc FROM services`)
	if err != nil {
		return nil, fmt.Errorf("store: reading services: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, doc string
		if err := rows.Scan(&id, &doc); err != nil {
			return nil, fmt.Errorf("store: reading services: %w", err)
		}
		var svc catalogue.Service
		if err := json.Unmarshal([]byte(doc), &svc); err != nil {
			return nil, fmt.Errorf("store: stored service %q is unreadable: %w", id, err)
		}
		snap.services[id], snap.countries[svc.Country] = &svc, true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: reading services: %w", err)
	}
	s.catalogue.mu.Lock()
	s.catalogue.snap = snap
	s.catalogue.mu.Unlock()
	return snap, nil
}

// forget drops the catalogue read, after this process seeded a new one.
func (c *catalogueCache) forget() {
	c.mu.Lock()
	c.snap = nil
	c.mu.Unlock()
}

// cloneService is a copy of svc that shares nothing with it, so that no
// caller can change the copy the store keeps.
func cloneService(svc *catalogue.Service) *catalogue.Service {
	out := *svc
	out.Name, out.Description, out.LegalBasis = maps.Clone(svc.Name), maps.Clone(svc.Description), maps.Clone(svc.LegalBasis)
	out.Provider.Name = maps.Clone(svc.Provider.Name)
	out.Evidence = slices.Clone(svc.Evidence)
	for i := range out.Evidence {
		out.Evidence[i].Name = maps.Clone(out.Evidence[i].Name)
	}
	return &out
}
