package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/vienreiz/vienreiz/catalogue"
)

const catalogueVersionKey = "catalogue_version"

// SeedCatalogue loads c into the store when the store holds no catalogue or
// an older version of it, replacing the old one in one transaction. It
// reports whether it loaded anything.
func (s *Store) SeedCatalogue(ctx context.Context, c *catalogue.Catalogue) (bool, error) {
	if err := c.Validate(); err != nil {
		return false, err
	}
	loaded := false
	err := s.inTx(ctx, "seeding catalogue", func(tx *sql.Tx) error {
		var stored string
		err := tx.QueryRowContext(ctx, s.q(`SELECT value FROM meta WHERE key = ?`), catalogueVersionKey).Scan(&stored)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: reading catalogue version: %w", err)
		}
		if v, _ := strconv.Atoi(stored); v >= c.Version {
			return nil
		}
		for _, stmt := range []string{`DELETE FROM services`, `DELETE FROM categories`, `DELETE FROM meta WHERE key = ?`} {
			var args []any
			if strings.Contains(stmt, "?") {
				args = append(args, catalogueVersionKey)
			}
			if _, err := tx.ExecContext(ctx, s.q(stmt), args...); err != nil {
				return fmt.Errorf("store: replacing catalogue: %w", err)
			}
		}
		for i, cat := range c.Categories {
			doc, err := json.Marshal(cat)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO categories (id, position, doc) VALUES (?, ?, ?)`), cat.ID, i, string(doc)); err != nil {
				return fmt.Errorf("store: category %s: %w", cat.ID, err)
			}
		}
		for i := range c.Services {
			svc := &c.Services[i]
			doc, err := json.Marshal(svc)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO services (id, country, category, position, search_text, doc) VALUES (?, ?, ?, ?, ?, ?)`),
				svc.ID, svc.Country, svc.Category, i, svc.SearchText(), string(doc)); err != nil {
				return fmt.Errorf("store: service %s: %w", svc.ID, err)
			}
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO meta (key, value) VALUES (?, ?)`), catalogueVersionKey, strconv.Itoa(c.Version)); err != nil {
			return fmt.Errorf("store: catalogue version: %w", err)
		}
		loaded = true
		return nil
	})
	if err != nil || !loaded {
		return false, err
	}
	s.catalogue.forget()
	return true, nil
}

// SearchServices returns the services matching q, the most relevant
// first (catalogue.Query.Relevance), else in catalogue order. The rule is
// catalogue.Query.Matches, expressed in SQL.
func (s *Store) SearchServices(ctx context.Context, q catalogue.Query) ([]catalogue.Service, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	var (
		where []string
		args  []any
	)
	if q.Category != "" {
		where = append(where, "category = ?")
		args = append(args, q.Category)
	}
	if q.Country != "" {
		where = append(where, "country = ?")
		args = append(args, q.Country)
	}
	for _, w := range q.Words() {
		where = append(where, `search_text LIKE ? ESCAPE '\'`)
		args = append(args, "%"+escapeLike(w)+"%")
	}
	query := `SELECT doc FROM services`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY position"
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store: searching services: %w", err)
	}
	defer rows.Close()
	out := []catalogue.Service{}
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, fmt.Errorf("store: searching services: %w", err)
		}
		var svc catalogue.Service
		if err := json.Unmarshal([]byte(doc), &svc); err != nil {
			return nil, fmt.Errorf("store: stored service is unreadable: %w", err)
		}
		out = append(out, svc)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rank := make(map[string]int, len(out))
	for i := range out {
		rank[out[i].ID] = q.Relevance(&out[i])
	}
	slices.SortStableFunc(out, func(a, b catalogue.Service) int { return rank[a.ID] - rank[b.ID] })
	return out, nil
}

// Service returns one service by id, or ErrNotFound, from the catalogue
// as last read (see catalogueFresh); the caller may change its copy.
func (s *Store) Service(ctx context.Context, id string) (*catalogue.Service, error) {
	snap, err := s.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	svc, ok := snap.services[id]
	if !ok {
		return nil, fmt.Errorf("service %q: %w", id, ErrNotFound)
	}
	return cloneService(svc), nil
}

// ServicesOf returns the ids of the services institution provides (by
// the catalogue as last read, see catalogueFresh), sorted; none is an
// empty list.
func (s *Store) ServicesOf(ctx context.Context, institution string) ([]string, error) {
	snap, err := s.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	out := []string{}
	for id, svc := range snap.services {
		if svc.Provider.ID == institution {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out, nil
}

// Facets returns the categories in catalogue order and the countries that
// have services, sorted.
func (s *Store) Facets(ctx context.Context) (*catalogue.Facets, error) {
	f := &catalogue.Facets{Categories: []catalogue.Category{}, Countries: []string{}}
	rows, err := s.db.QueryContext(ctx, `SELECT doc FROM categories ORDER BY position`)
	if err != nil {
		return nil, fmt.Errorf("store: reading categories: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		var c catalogue.Category
		if err := json.Unmarshal([]byte(doc), &c); err != nil {
			return nil, fmt.Errorf("store: stored category is unreadable: %w", err)
		}
		f.Categories = append(f.Categories, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	crow, err := s.db.QueryContext(ctx, `SELECT DISTINCT country FROM services`)
	if err != nil {
		return nil, fmt.Errorf("store: reading countries: %w", err)
	}
	defer crow.Close()
	for crow.Next() {
		var c string
		if err := crow.Scan(&c); err != nil {
			return nil, err
		}
		f.Countries = append(f.Countries, c)
	}
	sort.Strings(f.Countries)
	return f, crow.Err()
}

// HasCountry reports whether the catalogue, as last read (see
// catalogueFresh), has a service in country.
func (s *Store) HasCountry(ctx context.Context, country string) (bool, error) {
	snap, err := s.snapshot(ctx)
	if err != nil {
		return false, err
	}
	return snap.countries[country], nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
