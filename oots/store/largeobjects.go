//go:build !nopostgres

package store

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// largeObjects keeps blobs as PostgreSQL large objects.
type largeObjects struct{ db *sql.DB }

// begin starts a transaction on a pgx connection of the pool, which stays
// out of the pool until done is called.
func (l largeObjects) begin(ctx context.Context) (pgx.Tx, func(), error) {
	conn, err := l.db.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	var tx pgx.Tx
	err = conn.Raw(func(dc any) error {
		var err error
		tx, err = dc.(*stdlib.Conn).Conn().Begin(ctx)
		return err
	})
	if err != nil {
		conn.Close()
		return nil, nil, err
	}
	return tx, func() { conn.Close() }, nil
}

func (l largeObjects) put(ctx context.Context, write func(io.Writer) (string, error)) (string, error) {
	tx, done, err := l.begin(ctx)
	if err != nil {
		return "", fmt.Errorf("store: evidence large object: %w", err)
	}
	defer done()
	defer tx.Rollback(context.WithoutCancel(ctx))
	los := tx.LargeObjects()
	oid, err := los.Create(ctx, 0)
	if err == nil {
		var obj *pgx.LargeObject
		if obj, err = los.Open(ctx, oid, pgx.LargeObjectModeWrite); err == nil {
			if _, err = write(obj); err == nil {
				err = obj.Close()
			}
		}
	}
	if err == nil {
		err = tx.Commit(ctx)
	}
	if err != nil {
		return "", fmt.Errorf("store: evidence large object: %w", err)
	}
	return "lo:" + strconv.FormatUint(uint64(oid), 10), nil
}

// open reads the object in chunks with lo_get, each chunk one query on a
// pooled connection: a download holds no connection between its reads, so
// that slow downloads do not take the pool from everyone else, and the
// download's own ledger entry (or any other call) never waits for a
// connection the download holds (with a pool of N, N downloads at once
// stopped the service).
func (l largeObjects) open(ctx context.Context, ref string, size int64) (io.ReadSeekCloser, error) {
	v, ok := strings.CutPrefix(ref, "lo:")
	oid, err := strconv.ParseUint(v, 10, 32)
	if !ok || err != nil {
		return nil, fmt.Errorf("store: evidence reference %q is not a large object", ref)
	}
	return &largeObjectReader{ctx: ctx, db: l.db, oid: uint32(oid), size: size}, nil
}

// largeObjectReader reads large object oid of size bytes from db.
type largeObjectReader struct {
	ctx  context.Context
	db   *sql.DB
	oid  uint32
	size int64
	pos  int64
	// buf holds the object's bytes from bufAt on.
	buf   []byte
	bufAt int64
}

func (r *largeObjectReader) Read(p []byte) (int, error) {
	if r.pos >= r.size {
		return 0, io.EOF
	}
	if r.pos < r.bufAt || r.pos >= r.bufAt+int64(len(r.buf)) {
		n := min(loChunk, r.size-r.pos)
		var chunk []byte
		err := r.db.QueryRowContext(r.ctx, `SELECT lo_get($1::oid, $2::bigint, $3::int)`, r.oid, r.pos, n).Scan(&chunk)
		if err != nil {
			return 0, fmt.Errorf("store: evidence large object %d: %w", r.oid, err)
		}
		if len(chunk) == 0 {
			return 0, fmt.Errorf("store: evidence large object %d ends at %d, before its %d bytes: %w", r.oid, r.pos, r.size, io.ErrUnexpectedEOF)
		}
		r.buf, r.bufAt = chunk, r.pos
	}
	n := copy(p, r.buf[r.pos-r.bufAt:])
	r.pos += int64(n)
	return n, nil
}

func (r *largeObjectReader) Seek(offset int64, whence int) (int64, error) {
	return seek(&r.pos, r.size, offset, whence)
}

func (r *largeObjectReader) Close() error {
	r.buf = nil
	return nil
}
