/**
 * The XML a mobile mono-repo carries beside its code: Android layouts, string resources and
 * manifests (never parsed: no platform config's trigger word), one network security config per
 * Android app and one Info.plist per iOS module (parsed and audited).
 */
import { Random } from '../random';
import { ENTITIES, pascal, sentence, snake, UI_WORDS } from './vocabulary';

const VIEWS = ['TextView', 'Button', 'ImageView', 'EditText', 'ProgressBar', 'androidx.recyclerview.widget.RecyclerView'];

/** An Android layout of about `lines` lines: nested LinearLayouts of views with ids and texts. */
export function androidLayout(random: Random, entity: string, lines: number): string {
  const out = ['<?xml version="1.0" encoding="utf-8"?>', '<LinearLayout xmlns:android="http://schemas.android.com/apk/res/android"',
    '    android:layout_width="match_parent"', '    android:layout_height="match_parent"', '    android:orientation="vertical">'];
  let index = 0;
  while (out.length < lines - 1) {
    const view = random.pick(VIEWS);
    out.push(`    <${view}`, `        android:id="@+id/${snake(entity, random.pick(UI_WORDS))}_${index++}"`,
      '        android:layout_width="wrap_content"', '        android:layout_height="wrap_content"');
    if (view === 'TextView' || view === 'Button') out.push(`        android:text="@string/${snake(entity)}_${index}"`);
    out.push('        android:padding="8dp" />');
  }
  out.push('</LinearLayout>', '');
  return out.join('\n');
}

/** `res/values/strings.xml`: one string per line; some from `labels` (UI texts such as `Enter PIN`) when given. */
export function androidStrings(random: Random, lines: number, labels: readonly string[] = []): string {
  const out = ['<?xml version="1.0" encoding="utf-8"?>', '<resources>'];
  for (let i = 0; out.length < lines - 1; i++) {
    const entity = random.pick(ENTITIES);
    const text = labels.length > 0 && random.chance(0.3) ? random.pick(labels) : sentence(random, entity);
    out.push(`    <string name="${snake(entity)}_${i}">${text.replace(/'/g, "\\'")}</string>`);
  }
  out.push('</resources>', '');
  return out.join('\n');
}

/** A random base64 SHA-256 value, from the generator's seeded random. */
function pin(random: Random): string {
  return Buffer.from(Array.from({ length: 32 }, () => random.int(0, 255))).toString('base64');
}

export function androidManifest(app: string): string {
  return [
    '<manifest xmlns:android="http://schemas.android.com/apk/res/android">',
    '    <uses-permission android:name="android.permission.INTERNET" />',
    `    <application android:label="${app}" android:networkSecurityConfig="@xml/network_security_config">`,
    `        <activity android:name=".MainActivity" android:exported="true" />`,
    '    </application>',
    '</manifest>',
    '',
  ].join('\n');
}

export function networkSecurityConfig(random: Random, app: string): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<network-security-config>',
    '    <domain-config>',
    `        <domain includeSubdomains="true">${app.replace(/_/g, '-')}.example.com</domain>`,
    '        <pin-set expiration="2028-06-30">',
    `            <pin digest="SHA-256">${pin(random)}</pin>`,
    `            <pin digest="SHA-256">${pin(random)}</pin>`,
    '        </pin-set>',
    '    </domain-config>',
    '</network-security-config>',
    '',
  ].join('\n');
}

/** An Info.plist up to its bundle name. */
function plistHead(target: string): string[] {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    '<dict>',
    '\t<key>CFBundleName</key>',
    `\t<string>${pascal(target)}</string>`,
  ];
}

export function infoPlist(random: Random, module: string): string {
  const identity = (value: string) => ['\t\t\t\t\t<dict>', '\t\t\t\t\t\t<key>SPKI-SHA256-BASE64</key>', `\t\t\t\t\t\t<string>${value}</string>`, '\t\t\t\t\t</dict>'];
  return [
    ...plistHead(module),
    '\t<key>NSAppTransportSecurity</key>',
    '\t<dict>',
    '\t\t<key>NSPinnedDomains</key>',
    '\t\t<dict>',
    `\t\t\t<key>${module.toLowerCase()}.example.com</key>`,
    '\t\t\t<dict>',
    '\t\t\t\t<key>NSPinnedLeafIdentities</key>',
    '\t\t\t\t<array>',
    ...identity(pin(random)),
    ...identity(pin(random)),
    '\t\t\t\t</array>',
    '\t\t\t</dict>',
    '\t\t</dict>',
    '\t</dict>',
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}

/** An app target's Info.plist without pins: bundle keys, usage texts, App Transport Security's defaults. */
export function plainInfoPlist(random: Random, target: string): string {
  const usage = random.sample([
    ['NSCameraUsageDescription', 'Scan documents and QR codes.'], ['NSFaceIDUsageDescription', 'Unlock the app instead of entering your PIN.'],
    ['NSPhotoLibraryUsageDescription', 'Attach photos to messages.'], ['NSLocationWhenInUseUsageDescription', 'Show stores near you.'],
  ], random.int(1, 4));
  return [
    ...plistHead(target),
    '\t<key>CFBundleIdentifier</key>',
    `\t<string>com.example.${target.toLowerCase()}</string>`,
    '\t<key>CFBundleShortVersionString</key>',
    `\t<string>${random.int(1, 9)}.${random.int(0, 20)}.${random.int(0, 9)}</string>`,
    ...usage.flatMap(([key, text]) => [`\t<key>${key}</key>`, `\t<string>${text}</string>`]),
    '\t<key>NSAppTransportSecurity</key>',
    '\t<dict>',
    '\t\t<key>NSAllowsArbitraryLoads</key>',
    '\t\t<false/>',
    '\t</dict>',
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}
