<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ConsoleWidget</name>
    <message>
        <source>IPython in blitzgui. torch, nn, F, np and optim are imported.

</source>
        <translation>blitzgui 中的 IPython。已导入 torch、nn、F、np 和 optim。

</translation>
    </message>
    <message>
        <source>Quit blitzgui?</source>
        <translation>退出 blitzgui？</translation>
    </message>
    <message>
        <source>exit() closes the whole blitzgui window. Quit blitzgui?</source>
        <translation>exit() 会关闭整个 blitzgui 窗口。要退出 blitzgui 吗？</translation>
    </message>
</context>
</TS>
