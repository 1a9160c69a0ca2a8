package store

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Evidence documents are kept out of the evidence rows, which only name
// where the bytes are ("blob"): on SQLite in a content-addressed folder
// beside the database file ("file:NAME"), on PostgreSQL as large objects
// ("lo:OID"), so that every service process sharing the database reaches
// them. Both are written and read as streams.

// blobStore keeps the bytes of evidence documents.
type blobStore interface {
	// put makes a new blob of what write writes and returns its
	// reference; write returns the blob's content address.
	put(ctx context.Context, write func(io.Writer) (name string, err error)) (ref string, err error)
	// open returns the blob's bytes, seekable; size is the blob's length
	// as stored.
	open(ctx context.Context, ref string, size int64) (io.ReadSeekCloser, error)
}

// fileBlobs keeps blobs as files named by content address in dir.
type fileBlobs struct{ dir string }

func (f fileBlobs) path(name string) string {
	return filepath.Join(f.dir, name[:2], name)
}

func (f fileBlobs) put(_ context.Context, write func(io.Writer) (string, error)) (string, error) {
	if err := os.MkdirAll(f.dir, 0o700); err != nil {
		return "", fmt.Errorf("store: evidence folder: %w", err)
	}
	tmp, err := os.CreateTemp(f.dir, ".new-*")
	if err != nil {
		return "", fmt.Errorf("store: evidence file: %w", err)
	}
	defer os.Remove(tmp.Name()) // after the rename, a no-op
	name, err := write(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil && (len(name) < 8 || strings.ContainsAny(name, `/\.`)) {
		err = fmt.Errorf("bad blob name %q", name)
	}
	if err == nil {
		err = os.MkdirAll(filepath.Dir(f.path(name)), 0o700)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), f.path(name))
	}
	if err != nil {
		return "", fmt.Errorf("store: evidence file: %w", err)
	}
	return "file:" + name, nil
}

func (f fileBlobs) open(_ context.Context, ref string, _ int64) (io.ReadSeekCloser, error) {
	name, ok := strings.CutPrefix(ref, "file:")
	if !ok || len(name) < 8 || strings.ContainsAny(name, `/\.`) {
		return nil, fmt.Errorf("store: evidence reference %q is not a file of this store", ref)
	}
	file, err := os.Open(f.path(name))
	if err != nil {
		return nil, fmt.Errorf("store: evidence file: %w", err)
	}
	return file, nil
}

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

// loChunk is how much of a large object one lo_get reads.
const loChunk = 1 << 20

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
