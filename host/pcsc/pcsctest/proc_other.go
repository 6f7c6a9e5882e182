//go:build !linux

package pcsctest

import (
	"errors"
	"os"
)

func flock(*os.File, bool) error {
	return errors.New("pcsctest: file locks are implemented on Linux only")
}
