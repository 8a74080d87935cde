; Inno Setup script for the Windows installer of GradPhoto (学历图像工作台).
; Build the one-folder app first on Windows:  py -m PyInstaller --noconfirm --clean installer.spec
; then compile this script with Inno Setup 6 (ISCC.exe installer\gradphoto.iss).
; The result, dist\GradPhoto-Setup-<version>.exe, installs per user (no administrator rights needed),
; works fully offline and can be carried to a station on a USB stick.

#define AppName "学历图像工作台 GradPhoto"
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppExe "GradPhoto.exe"

[Setup]
AppId={{6B0B7E1C-6F1D-4C59-9A3E-6C1C4D1F2A77}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=GradPhoto
DefaultDirName={localappdata}\Programs\GradPhoto
DefaultGroupName={#AppName}
PrivilegesRequired=lowest
OutputDir=..\dist
OutputBaseFilename=GradPhoto-Setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesInstallIn64BitMode=x64compatible
UninstallDisplayIcon={app}\{#AppExe}

[Languages]
; ChineseSimplified.isl ships with Inno Setup 6.4+; for older versions put the official translation file in Languages\.
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\dist\GradPhoto-{#AppVersion}\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\{#AppName}（演示数据）"; Filename: "{app}\{#AppExe}"; Parameters: "--demo"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Parameters: "--self-test"; Flags: runhidden waituntilterminated; StatusMsg: "正在自检……"
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
