package threat

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"

	"cloud.google.com/go/webrisk/apiv1/webriskpb"

	"github.com/blibli/safelink/gateway/threat/hashlist"
)

// webRiskDBMagic starts a saved Web Risk database and names its format.
const webRiskDBMagic = "safelink web risk lists 1\n"

// maxWebRiskDB bounds the file load reads.
const maxWebRiskDB = 1 << 30

// save writes every loaded list, with its version token and the time of
// its update, to cfg.DBPath: to a temporary file first, renamed over the
// old one, so that a crash never leaves half a file. A failure is logged;
// the lists in memory stay as they are.
func (w *WebRisk) save() {
	if w.cfg.DBPath == "" {
		return
	}
	w.saveMu.Lock()
	defer w.saveMu.Unlock()
	if err := writeFileAtomic(w.cfg.DBPath, w.encodeDB()); err != nil {
		w.cfg.Logger.Warn("Web Risk lists not saved", "db", w.cfg.DBPath, "error", err)
	}
}

// encodeDB returns the saved form of the loaded lists: the magic, then for
// each list its type, token, update time and prefixes, then the SHA-256 of
// all that.
func (w *WebRisk) encodeDB() []byte {
	b := []byte(webRiskDBMagic)
	var loaded []*listState
	var wires []webriskpb.ThreatType
	for _, l := range w.lists {
		if st := l.state.Load(); st.list != nil {
			loaded, wires = append(loaded, st), append(wires, l.wire)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(loaded)))
	for i, st := range loaded {
		b = binary.AppendUvarint(b, uint64(wires[i]))
		b = binary.AppendUvarint(b, uint64(len(st.token)))
		b = append(b, st.token...)
		b = binary.AppendVarint(b, st.updated.UnixNano())
		b, _ = st.list.AppendBinary(b)
	}
	sum := sha256.Sum256(b)
	return append(b, sum[:]...)
}

// errCorruptDB says a saved database does not read back.
var errCorruptDB = errors.New("not a saved Web Risk database, or a damaged one")

// load reads the lists saved in cfg.DBPath, if any, into the lists the
// checker keeps. A missing file is the normal first start; a damaged or
// foreign file is set aside with a warning, never a failure to start.
func (w *WebRisk) load() {
	if w.cfg.DBPath == "" {
		return
	}
	saved, err := readDB(w.cfg.DBPath)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return
	case err != nil:
		w.cfg.Logger.Warn("Web Risk lists not loaded from the saved file; downloading them", "db", w.cfg.DBPath, "error", err)
		return
	}
	now := time.Now()
	for _, l := range w.lists {
		st, ok := saved[l.wire]
		if !ok || st.updated.After(now) {
			continue
		}
		l.state.Store(st)
	}
	w.generation.Store(now.UnixNano())
	w.cfg.Logger.Info("Web Risk lists loaded from the saved file", "db", w.cfg.DBPath, "lists", len(saved))
}

// readDB reads and checks a saved database.
func readDB(path string) (map[webriskpb.ThreatType]*listState, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.Size() > maxWebRiskDB {
		return nil, fmt.Errorf("%w: %d bytes", errCorruptDB, info.Size())
	}
	b := make([]byte, info.Size())
	if _, err := f.ReadAt(b, 0); err != nil {
		return nil, err
	}
	return decodeDB(b)
}

// decodeDB parses what encodeDB wrote.
func decodeDB(b []byte) (map[webriskpb.ThreatType]*listState, error) {
	if len(b) < len(webRiskDBMagic)+sha256.Size || !bytes.HasPrefix(b, []byte(webRiskDBMagic)) {
		return nil, errCorruptDB
	}
	body, sum := b[:len(b)-sha256.Size], b[len(b)-sha256.Size:]
	if want := sha256.Sum256(body); !bytes.Equal(want[:], sum) {
		return nil, errCorruptDB
	}
	r := body[len(webRiskDBMagic):]
	n, err := uvarint(&r)
	if err != nil || n > uint64(len(webRiskTypes)) {
		return nil, errCorruptDB
	}
	out := map[webriskpb.ThreatType]*listState{}
	for range n {
		wire, err := uvarint(&r)
		if err != nil || wire > math.MaxInt32 || !savedType(webriskpb.ThreatType(wire)) || out[webriskpb.ThreatType(wire)] != nil {
			return nil, errCorruptDB
		}
		size, err := uvarint(&r)
		if err != nil || size > uint64(len(r)) {
			return nil, errCorruptDB
		}
		st := &listState{token: bytes.Clone(r[:size])}
		r = r[size:]
		updated, used := binary.Varint(r)
		if used <= 0 {
			return nil, errCorruptDB
		}
		st.updated, r = time.Unix(0, updated), r[used:]
		if st.list, r, err = hashlist.Parse(r); err != nil {
			return nil, fmt.Errorf("%w: %v", errCorruptDB, err)
		}
		out[webriskpb.ThreatType(wire)] = st
	}
	if len(r) != 0 {
		return nil, errCorruptDB
	}
	return out, nil
}

// savedType reports whether t is a list a saved database may hold.
func savedType(t webriskpb.ThreatType) bool {
	for _, known := range webRiskTypes {
		if known == t {
			return true
		}
	}
	return false
}

// uvarint reads a uvarint off the front of *b.
func uvarint(b *[]byte) (uint64, error) {
	v, used := binary.Uvarint(*b)
	if used <= 0 {
		return 0, errCorruptDB
	}
	*b = (*b)[used:]
	return v, nil
}

// writeFileAtomic writes data to a new file beside path and renames it
// over path.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename, there is nothing to remove
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
