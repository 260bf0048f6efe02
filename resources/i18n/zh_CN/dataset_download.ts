<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>DatasetDownloadWidget</name>
    <message>
        <source>Download CIFAR-10</source>
        <translation>下载 CIFAR-10</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Use the built-in dataset instead</source>
        <translation>改用内置数据集</translation>
    </message>
    <message>
        <source>Shapes generated on this computer: no download needed</source>
        <translation>在本机生成的图形数据集：无需下载</translation>
    </message>
    <message>
        <source>CIFAR-10 is in the data folder: {folder}</source>
        <translation>CIFAR-10 已在数据文件夹中：{folder}</translation>
    </message>
    <message>
        <source>Download again</source>
        <translation>重新下载</translation>
    </message>
    <message>
        <source>CIFAR-10 is not in the data folder yet (a 163 MB download into {folder}).</source>
        <translation>数据文件夹中还没有 CIFAR-10（需下载 163 MB 到 {folder}）。</translation>
    </message>
    <message>
        <source>Connecting to {url} …</source>
        <translation>正在连接 {url} …</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>{done} MB of {total} MB ({percent} %)</source>
        <translation>{done} MB / {total} MB（{percent}%）</translation>
    </message>
    <message>
        <source>{done} MB</source>
        <translation>{done} MB</translation>
    </message>
    <message>
        <source>Checking and unpacking…</source>
        <translation>正在校验并解压…</translation>
    </message>
    <message>
        <source>Downloading CIFAR-10…</source>
        <translation>正在下载 CIFAR-10…</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Download failed: {message}</source>
        <translation>下载失败：{message}</translation>
    </message>
    <message>
        <source>Download cancelled; nothing was kept. The built-in dataset needs no download.</source>
        <translation>下载已取消，未保留任何文件。内置数据集无需下载。</translation>
    </message>
</context>
</TS>
