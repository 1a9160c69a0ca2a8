package requester

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// messageIDSpace is the UUID name space of our request MessageIds.
var messageIDSpace = uuid.MustParse("5d0c1a6e-7f3b-4d52-9a51-0f7c2b8e4a10")

// messageIDOf returns the ebMS MessageId of the request q: a UUID derived
// from the ExchangeId and the PreviewLocation (so the first and the
// second request of an exchange differ; and the PreviewRound, so a request
// sent again after the same preview differs too) at our host name. Asking to send
// the same request again (after a crash, or from another process) gives
// the same MessageId, which our outbox and the provider's duplicate
// elimination each take once.
func messageIDOf(self string, q Query) string {
	key := q.ExchangeID + "\x00" + q.PreviewLocation
	if q.PreviewRound > 0 {
		key += "\x00" + strconv.Itoa(q.PreviewRound)
	}
	u := uuid.NewSHA1(messageIDSpace, []byte(key))
	return u.String() + "@" + strings.ToLower(self) + ".requester.vienreiz"
}

// folderOf is the answers/ sub-folder of a received message: a hash of its
// MessageId, so no id from outside becomes a path.
func folderOf(messageID string) string {
	h := sha256.Sum256([]byte(messageID))
	return hex.EncodeToString(h[:16])
}
