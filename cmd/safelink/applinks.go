package main

import (
	"flag"

	"github.com/blibli/safelink/gateway/applinks"
)

// appLinkFlags name the app association files the gateway serves.
type appLinkFlags struct {
	apple   string
	android string
}

func (a *appLinkFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&a.apple, "apple-app-site-association", "", "JSON file served at /.well-known/apple-app-site-association, so the iOS app can open the gateway's links (universal links); empty serves none")
	fs.StringVar(&a.android, "assetlinks", "", "JSON file served at /.well-known/assetlinks.json, so the Android app can open the gateway's links (App Links); empty serves none")
}

// load reads and checks the files; SIGHUP reads them again.
func (a *appLinkFlags) load() (applinks.Files, error) {
	return applinks.Load(a.apple, a.android)
}

// status says which files are served, for /readyz.
func (a *appLinkFlags) status(f applinks.Files) map[string]bool {
	return map[string]bool{"apple": len(f.Apple) > 0, "android": len(f.Android) > 0}
}
