package main

const helpText = `mynaconnect-install - install the MynaConnect host for your browsers

MynaConnect lets you log in on the web with your My Number card
(マイナンバーカード). Its browser extension talks to a small program on your
computer, mynaconnect-host, which talks to the card reader. Browsers only
start such a program when a "native messaging host manifest" names it; this
installer copies the host into place and writes those manifests.

WHAT IT DOES
  1. Copies the host binary (--host, or mynaconnect-host next to this
     program, or dist/bin/mynaconnect-host) to:
       Linux    ~/.local/share/mynaconnect/bin/mynaconnect-host
                ($XDG_DATA_HOME/mynaconnect/bin when that is set)
       macOS    ~/Library/Application Support/MynaConnect/mynaconnect-host
       Windows  %LOCALAPPDATA%\MynaConnect\mynaconnect-host.exe
     or, with --system, /usr/local/lib/mynaconnect/, /Library/Application
     Support/MynaConnect/, %ProgramFiles%\MynaConnect\.
  2. Writes the manifest jp.mynaconnect.host.json where each browser found
     looks for it (Google Chrome, Chromium, Microsoft Edge, Brave, Vivaldi,
     Firefox), for example on Linux
       ~/.config/chromium/NativeMessagingHosts/   (moved by $CHROME_CONFIG_HOME
                                                   or $XDG_CONFIG_HOME)
       ~/.mozilla/native-messaging-hosts/
     On Windows the manifests go next to the host and a registry key per
     browser (HKCU\Software\Google\Chrome\NativeMessagingHosts\..., or HKLM
     with --system) names them.
  3. Writes an install record (install-record.json, next to the host) that
     lists every file, directory and registry key it created or changed.

  A browser counts as found when its profile folder or its program exists.
  Browsers installed as a Snap or a Flatpak are reported with a warning:
  their sandbox cannot start programs outside it, so they cannot use
  MynaConnect. Install the browser from your distribution's packages.

  Running it again changes nothing that is already right and says
  "unchanged" for each item. Restart a running browser after installing.

USAGE
  mynaconnect-install [flags]                 install for this user
  mynaconnect-install --system [flags]        install for every user (root)
  mynaconnect-install --uninstall [--system]  remove what was installed
  mynaconnect-install --dry-run [flags]       show what would be done

FLAGS
  --host PATH          the host binary to install
  --extension-id ID    a Chromium extension id the manifests allow besides
                       the published MynaConnect extension's; repeat for
                       several. Firefox manifests always allow
                       mynaconnect@mynaconnect.jp.
  --development-extension
                       also allow the unpacked build from the repository
                       (dist/chromium, id bmkkgipakkhfkoeogfafddcmkccnfbpk).
                       Its key is public, so any unpacked extension can take
                       that id and ask the host for logins: use it on a
                       development machine only. "mynaconnect doctor" warns
                       while a manifest allows it. Until the extension is in
                       a store, an install needs this or --extension-id.
  --browser NAME       write the manifest for this browser only, found or not;
                       repeat for several (chrome, chromium, edge, brave,
                       vivaldi, firefox)
  --all-browsers       write the manifests for every supported browser
  --user-data-dir DIR  also write the Chromium-family manifest into
                       DIR/NativeMessagingHosts, for a browser started with
                       --user-data-dir=DIR (Linux, macOS); repeatable
  --home DIR           act as if DIR were your home directory (default
                       $HOME); $XDG_CONFIG_HOME, $XDG_DATA_HOME and
                       $CHROME_CONFIG_HOME are then ignored, so nothing
                       outside DIR is touched
  --system             install for every user of the machine
  --uninstall          remove exactly what the install record lists: files
                       only while they still hold what was written, registry
                       keys only while they still name our manifest, and the
                       directories the install created once they are empty
  --dry-run            print every path and registry key that would be
                       touched, and change nothing
  --os OS              with --dry-run: plan for linux, darwin or windows
                       (shows the paths and keys of another system, for an
                       example user "you" unless --home is given)
  --help               print this text

EXAMPLES
  make build && dist/bin/mynaconnect-install --development-extension
  mynaconnect-install --dry-run --os windows
  mynaconnect-install --home /tmp/h --browser chromium --user-data-dir /tmp/profile
  sudo mynaconnect-install --system
  mynaconnect-install --uninstall

EXIT STATUS
  0 done (or nothing to do), 1 a failure, or an uninstall that left an item
  in place because it was changed by someone else, 2 a bad flag.

Then run "mynaconnect doctor" to check the card reader, the card and the
setup of every browser.
`
