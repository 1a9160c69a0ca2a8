package requester

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// newMessageID returns an ebMS MessageId: a random UUID at our host name.
func newMessageID(self string) (string, error) {
	u, err := uuid.NewRandomFromReader(rand.Reader)
	if err != nil {
		return "", fmt.Errorf("requester: message id: %w", err)
	}
	return u.String() + "@" + strings.ToLower(self) + ".requester.vienreiz", nil
}

// folderOf is the answers/ sub-folder of a received message: a hash of its
// MessageId, so no id from outside becomes a path.
func folderOf(messageID string) string {
	h := sha256.Sum256([]byte(messageID))
	return hex.EncodeToString(h[:16])
}
