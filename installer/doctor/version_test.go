package doctor

import (
	"testing"

	"github.com/mynaconnect/mynaconnect/extension/build"
)

func TestExtensionVersionIsTheBuildsVersion(t *testing.T) {
	if ExtensionVersion != build.Version {
		t.Errorf("doctor.ExtensionVersion = %q, extension/build.Version = %q: update the doctor", ExtensionVersion, build.Version)
	}
}
