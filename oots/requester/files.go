package requester

import (
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/vienreiz/vienreiz/oots/as4"
)

// kept is the set of attachment files of one answer.
type kept struct {
	dir  string
	list []Attachment
}

// remove deletes the files again (the callback failed; a retry writes
// them anew).
func (k *kept) remove() { os.RemoveAll(k.dir) }

// keep copies every payload but the EDM one into
// Dir/answers/<hash of MessageId>/part-<n>, hashing on the way. The as4
// payload files vanish when the callback returns.
func (r *Requester) keep(d *as4.Delivery, edmIdx int, messageID string) (*kept, error) {
	k := &kept{dir: filepath.Join(r.answerDir, folderOf(messageID))}
	if len(d.Payloads) <= 1 {
		return k, nil
	}
	// A retry after a failed callback starts from an empty folder.
	if err := os.RemoveAll(k.dir); err != nil {
		return nil, fmt.Errorf("requester: answer folder: %w", err)
	}
	if err := os.MkdirAll(k.dir, 0o700); err != nil {
		return nil, fmt.Errorf("requester: answer folder: %w", err)
	}
	for i, p := range d.Payloads {
		if i == edmIdx {
			continue
		}
		a, err := copyPayload(p, filepath.Join(k.dir, fmt.Sprintf("part-%d", i)))
		if err != nil {
			k.remove()
			return nil, fmt.Errorf("requester: attachment %s: %w", p.ContentID, err)
		}
		k.list = append(k.list, a)
	}
	return k, nil
}

// copyPayload writes p to path (synced) and returns its description.
func copyPayload(p as4.Payload, path string) (Attachment, error) {
	a := Attachment{ContentID: p.ContentID, ContentType: p.MimeType, Path: path}
	rc, err := p.Open()
	if err != nil {
		return a, err
	}
	defer rc.Close()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return a, err
	}
	h := sha256.New()
	a.Size, err = io.Copy(io.MultiWriter(f, h), rc)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return a, err
	}
	h.Sum(a.SHA256[:0])
	return a, nil
}
