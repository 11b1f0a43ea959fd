; Inno Setup script: a per-user install of dist\studio (no administrator rights), Start menu
; and optional desktop shortcuts, "Open with Studio" for project files, `studio` on the user's
; PATH (optional), and an uninstaller. Built by packaging\build.py --pack, which passes
; /DVersion and /DSource.

#ifndef Version
  #define Version "0.1.0"
#endif
#ifndef Source
  #define Source "..\..\dist\studio"
#endif

[Setup]
AppId={{6F2C9E4B-0B7E-4C53-9A2D-3A51C0D2E7A1}
AppName=Studio
AppVersion={#Version}
AppPublisher=studio
DefaultDirName={autopf}\Studio
DefaultGroupName=Studio
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputBaseFilename=studio-{#Version}-windows-setup
Compression=lzma2/max
SolidCompression=yes
ChangesAssociations=yes
ChangesEnvironment=yes
UninstallDisplayIcon={app}\studio-app.exe
WizardStyle=modern

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"
Name: "addtopath"; Description: "Add the studio command line to PATH"; GroupDescription: "Command line:"; Flags: unchecked

[Files]
Source: "{#Source}\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion

[Icons]
Name: "{group}\Studio"; Filename: "{app}\studio-app.exe"
Name: "{group}\Uninstall Studio"; Filename: "{uninstallexe}"
Name: "{autodesktop}\Studio"; Filename: "{app}\studio-app.exe"; Tasks: desktopicon

[Registry]
; Windows associates by the last extension only, so a ".studio.json" project is a ".json" file:
; Studio registers a program id and offers itself in "Open with" for .json files, without
; taking .json away from the editor the user has.
Root: HKA; Subkey: "Software\Classes\Studio.Project"; ValueType: string; ValueData: "Studio project"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Studio.Project\DefaultIcon"; ValueType: string; ValueData: "{app}\studio-app.exe,0"
Root: HKA; Subkey: "Software\Classes\Studio.Project\shell\open\command"; ValueType: string; ValueData: """{app}\studio-app.exe"" ""%1"""
Root: HKA; Subkey: "Software\Classes\.json\OpenWithProgids"; ValueType: string; ValueName: "Studio.Project"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\Applications\studio-app.exe\SupportedTypes"; ValueType: string; ValueName: ".json"; ValueData: ""; Flags: uninsdeletekey
Root: HKCU; Subkey: "Environment"; ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; Tasks: addtopath; Check: NotOnPath(ExpandConstant('{app}'))

[Run]
Filename: "{app}\studio-app.exe"; Description: "{cm:LaunchProgram,Studio}"; Flags: nowait postinstall skipifsilent

[Code]
function NotOnPath(Folder: string): Boolean;
var
  Current: string;
begin
  if not RegQueryStringValue(HKEY_CURRENT_USER, 'Environment', 'Path', Current) then
    Current := '';
  Result := Pos(';' + Uppercase(Folder) + ';', ';' + Uppercase(Current) + ';') = 0;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Current, Entry: string;
  At: Integer;
begin
  if CurUninstallStep <> usPostUninstall then
    exit;
  Entry := ';' + ExpandConstant('{app}');
  if RegQueryStringValue(HKEY_CURRENT_USER, 'Environment', 'Path', Current) then
  begin
    At := Pos(Uppercase(Entry), Uppercase(Current));
    if At > 0 then
    begin
      Delete(Current, At, Length(Entry));
      RegWriteExpandStringValue(HKEY_CURRENT_USER, 'Environment', 'Path', Current);
    end;
  end;
end;
