package browsers

// The locations below come from each browser's documentation (Chrome's and
// Edge's native messaging pages, MDN for Firefox) where it exists, and from
// what the browsers are known to read where it does not (Brave, Vivaldi).

// userDataDirsLinux are the Chromium-family user data directories below
// $CHROME_CONFIG_HOME (or its fallbacks). Each reads NativeMessagingHosts
// inside its user data directory, which is also why a browser started with
// --user-data-dir reads the manifests of that profile and no other.
var userDataDirsLinux = map[ID][]string{
	Chrome:   {"google-chrome"},
	Chromium: {"chromium"},
	Edge:     {"microsoft-edge"},
	Brave:    {"BraveSoftware", "Brave-Browser"},
	Vivaldi:  {"vivaldi"},
}

func linuxDirs(e Env, scope Scope) map[ID][]string {
	if scope == System {
		return map[ID][]string{
			Chrome:   {"/etc/opt/chrome/native-messaging-hosts"},
			Chromium: {"/etc/chromium/native-messaging-hosts"},
			Edge:     {"/etc/opt/edge/native-messaging-hosts"},
			Brave:    {"/etc/opt/brave/native-messaging-hosts"},
			Vivaldi:  {"/etc/opt/vivaldi/native-messaging-hosts"},
			// Debian's Firefox also reads /usr/lib64/... on other
			// distributions; /usr/lib is the one every Linux build reads.
			Firefox: {"/usr/lib/mozilla/native-messaging-hosts"},
		}
	}
	dirs := map[ID][]string{Firefox: {e.join(e.Home, ".mozilla", "native-messaging-hosts")}}
	for id, rel := range userDataDirsLinux {
		dirs[id] = []string{e.join(append(append([]string{e.chromeConfig()}, rel...), "NativeMessagingHosts")...)}
	}
	return dirs
}

// appSupportDarwin are the browsers' folders in ~/Library/Application Support.
var appSupportDarwin = map[ID][]string{
	Chrome:   {"Google", "Chrome"},
	Chromium: {"Chromium"},
	Edge:     {"Microsoft Edge"},
	Brave:    {"BraveSoftware", "Brave-Browser"},
	Vivaldi:  {"Vivaldi"},
	Firefox:  {"Mozilla"},
}

func darwinDirs(e Env, scope Scope) map[ID][]string {
	if scope == System {
		return map[ID][]string{
			Chrome:   {"/Library/Google/Chrome/NativeMessagingHosts"},
			Chromium: {"/Library/Application Support/Chromium/NativeMessagingHosts"},
			Edge:     {"/Library/Microsoft/Edge/NativeMessagingHosts"},
			Brave:    {"/Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts"},
			Vivaldi:  {"/Library/Application Support/Vivaldi/NativeMessagingHosts"},
			Firefox:  {"/Library/Application Support/Mozilla/NativeMessagingHosts"},
		}
	}
	dirs := map[ID][]string{}
	for id, rel := range appSupportDarwin {
		dirs[id] = []string{e.join(append(append([]string{e.Home, "Library", "Application Support"}, rel...), "NativeMessagingHosts")...)}
	}
	return dirs
}

// windowsKeys are the vendor parts of the registry keys each browser reads
// (Software\<vendor>\NativeMessagingHosts\<name>, in HKCU and HKLM).
// Chromium-derived browsers read Google Chrome's key; Edge documents its
// own key first; Chromium and Brave have their own keys as well, and
// Vivaldi has none of its own.
var windowsKeys = map[ID][]string{
	Chrome:   {`Google\Chrome`},
	Chromium: {`Chromium`, `Google\Chrome`},
	Edge:     {`Microsoft\Edge`},
	Brave:    {`BraveSoftware\Brave-Browser`, `Google\Chrome`},
	Vivaldi:  {`Google\Chrome`},
	Firefox:  {`Mozilla`},
}
